/** Message payloads. Field names are a contract with partner producers: change only by adding. */
export interface DeclineRequest {
  version: 1;
  applicationId: string;
  jobId: string;
  reason: string;
  /** Who asked: 'booking' for the platform, a partner's name otherwise. */
  source: string;
  /** ISO-8601 timestamp. */
  requestedAt: string;
}

/** Asks the payment partner to authorize the booking's amount on the customer's payment token. */
export interface PaymentAuthorizationRequest {
  version: 1;
  type: 'AUTHORIZE';
  bookingId: string;
  /** The partner answers a repeated key with the first answer and never charges twice. */
  idempotencyKey: string;
  /** Exact decimal text, e.g. "120.00" (never a float). */
  amount: string;
  /** ISO 4217, e.g. "GBP". */
  currency: string;
  /** The card token the customer gave; sent only here, never logged. */
  paymentToken: string;
  /** ISO-8601 timestamp. */
  requestedAt: string;
}

/** Asks the payment partner to give back an authorization (the booking was cancelled). */
export interface PaymentRefundRequest {
  version: 1;
  type: 'REFUND';
  bookingId: string;
  idempotencyKey: string;
  /** The idempotency key of the authorization to refund. */
  authorizationKey: string;
  amount: string;
  currency: string;
  requestedAt: string;
}

/** What travels on `payments.requests`. */
export type PaymentRequest = PaymentAuthorizationRequest | PaymentRefundRequest;

export type PaymentOutcome = 'AUTHORIZED' | 'DECLINED' | 'REFUNDED';

/** The partner's answer to one PaymentRequest, on `payments.results`. */
export interface PaymentResult {
  version: 1;
  bookingId: string;
  /** The idempotencyKey of the request this answers. */
  idempotencyKey: string;
  /** AUTHORIZED or DECLINED answer an AUTHORIZE; REFUNDED or DECLINED a REFUND. */
  outcome: PaymentOutcome;
  /** Why, when DECLINED (e.g. "card_declined"). */
  reason?: string;
  /** The partner's own id for the authorization or refund. */
  processorReference?: string;
  /** ISO-8601 timestamp. */
  processedAt: string;
}

export type BookingEventType = 'BookingRequested' | 'BookingConfirmed' | 'BookingCancelled';

/** One thing that happened to a booking, on `bookings.events`, keyed by booking id. */
export interface BookingEvent {
  version: 1;
  type: BookingEventType;
  /** `<bookingId>:<type>`: the same on a re-publication, so consumers can drop duplicates. */
  eventId: string;
  bookingId: string;
  jobId: string;
  applicationId: string;
  customer: string;
  nanny: string;
  /** Set on BookingConfirmed. */
  bookingReference?: string;
  /** Set on BookingCancelled. */
  cancellationReason?: string;
  /** ISO-8601 timestamp. */
  occurredAt: string;
}
