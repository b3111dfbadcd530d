/** Every topic the system publishes or consumes. */
export const Topics = {
  /** Requests to decline one job application; produced by the platform and by partners. */
  applicationDeclines: 'job-applications.declines',
  /** The payment partner's answers to payment requests (`PaymentResult`); consumed by booking. */
  paymentResults: 'payments.results',
  /** What happened to bookings (`BookingEvent`); produced by booking, which also reacts to its own requests. */
  bookingEvents: 'bookings.events',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

/**
 * Topics the platform publishes for a partner's own consumer. No platform app subscribes to them, so
 * the chart declares them with publishers only (no Dapr Subscription); the partner, or the payments
 * sandbox in development, reads them.
 */
export const PartnerTopics = {
  /** Authorizations and refunds for the payment partner (`PaymentRequest`), keyed by booking id. */
  paymentRequests: 'payments.requests',
} as const;

export type PartnerTopic = (typeof PartnerTopics)[keyof typeof PartnerTopics];

/** The app's routes for messages from its Dapr sidecar: `<prefix>/<topic>`. */
export const SUBSCRIPTION_ROUTE_PREFIX = '/events';

/** Where an app receives a topic's messages from its Dapr sidecar: the route of its Subscription to the topic. */
export const subscriptionRoute = (topic: string): string => `${SUBSCRIPTION_ROUTE_PREFIX}/${encodeURIComponent(topic)}`;
