/**
 * The domain events the services record with every change (packages/ports/src/domain-events.ts), by the service
 * that owns them. The gateway routes `eventsByType` with this table and serves the names as a GraphQL enum.
 */
export const DomainEventTypes = {
  user: ['USER_CREATED', 'USER_UPDATED', 'USER_STATUS_CHANGED'],
  job: [
    'JOB_POSTED',
    'JOB_CLOSED',
    'JOB_REOPENED',
    'APPLICATION_SUBMITTED',
    'APPLICATION_ACCEPTED',
    'APPLICATION_DECLINED',
    'APPLICATION_REOPENED',
  ],
  booking: ['BOOKING_REQUESTED', 'BOOKING_CONFIRMED', 'BOOKING_CANCELLED', 'BOOKING_UPDATED'],
} as const;

export type DomainEventType = (typeof DomainEventTypes)[keyof typeof DomainEventTypes][number];

/** Which service owns the events of an entity. */
export const EventEntityOwners = { USER: 'user', JOB: 'job', APPLICATION: 'job', BOOKING: 'booking' } as const;

/**
 * Where every recorded domain event is published once its change has committed; the gateways read it to serve
 * subscriptions, each replica with a consumer group of its own.
 */
export const DOMAIN_EVENTS_TOPIC = 'domain.events';

/** Topics of the live updates: published by the services, read by each gateway replica with kafkajs. */
export const LiveTopics = { domainEvents: DOMAIN_EVENTS_TOPIC } as const;
export type LiveTopic = (typeof LiveTopics)[keyof typeof LiveTopics];
