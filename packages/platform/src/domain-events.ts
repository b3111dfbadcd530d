import { randomUUID } from 'node:crypto';
import { DOMAIN_EVENTS_TOPIC, type eventRoutes } from '@sitter/contracts';
import {
  createEventLog,
  listEntityEvents,
  listTypeEvents,
  systemClock,
  type Clock,
  Leases,
  OutboxRelay,
  type DomainEvent,
  type EventLog,
  type Publisher,
  type StateStore,
} from '@sitter/ports';
import type { Logger } from './logger';
import { requireActor, type Operation } from './operations';
import { currentRequestId } from './request-context';

const publishOn =
  (publisher: Publisher) =>
  (event: DomainEvent): Promise<void> =>
    publisher.publish(DOMAIN_EVENTS_TOPIC, event, { partitionKey: event.entityId, rawPayload: true });

/**
 * A service's event log: events stamped with the request being served, written in the change's transaction (with
 * the outbox, when there is a publisher) and, once committed, published on DOMAIN_EVENTS_TOPIC keyed by entity id
 * (one entity's events stay in order). What it fails to publish the service's outboxRelay publishes later.
 */
export const serviceEventLog = (deps: {
  store: StateStore;
  publisher?: Publisher;
  clock?: Clock;
  logger?: Pick<Logger, 'warn'>;
}): EventLog => {
  const { publisher } = deps;
  return createEventLog({
    store: deps.store,
    clock: deps.clock ?? systemClock,
    newId: randomUUID,
    requestId: currentRequestId,
    publish: publisher ? publishOn(publisher) : undefined,
    onPublishFailure: (event, error) =>
      deps.logger?.warn('a committed domain event was not published; the outbox relay publishes it later', {
        eventId: event.id,
        type: event.type,
        reason: error instanceof Error ? error.message : String(error),
      }),
  });
};

/** How long a relay's lease on an outbox shard lasts unless renewed: a dead replica's shards wait this long. */
export const OUTBOX_RELAY_LEASE_MS = 15_000;

/**
 * The relay of a service that records events (user, job, booking): every second, for each outbox shard whose lease
 * it holds or can take, publishes the events still there 5 s after their commit. Start it once the runtime
 * delivers messages; stop it before the runtime stops.
 */
export const outboxRelay = (deps: {
  store: StateStore;
  publisher: Publisher;
  clock?: Clock;
  logger?: Pick<Logger, 'warn'>;
  intervalMs?: number;
  graceMs?: number;
}): OutboxRelay<DomainEvent> =>
  new OutboxRelay<DomainEvent>({
    store: deps.store,
    publish: publishOn(deps.publisher),
    leases: new Leases(deps.store, { ttlMs: OUTBOX_RELAY_LEASE_MS, clock: deps.clock }),
    leaseTtlMs: OUTBOX_RELAY_LEASE_MS,
    intervalMs: deps.intervalMs,
    graceMs: deps.graceMs,
    clock: deps.clock,
    onError: (error) =>
      deps.logger?.warn('the domain events outbox relay could not publish; it tries again', {
        reason: error instanceof Error ? error.message : String(error),
      }),
  });

/** The events API every service that records events serves, on the routes of its catalogue (see @sitter/contracts). */
export const eventOperations = (store: StateStore, routes: ReturnType<typeof eventRoutes>): Operation[] => [
  {
    ...routes.eventsByEntity,
    handle: ({ actor, params, query: { from, to, limit, after } }) =>
      listEntityEvents(store, requireActor({ actor }), params.entity, params.entityId, { from, to, limit, after }),
  },
  {
    ...routes.eventsByType,
    handle: ({ actor, params, query: { from, to, limit, after } }) =>
      listTypeEvents(store, requireActor({ actor }), params.type, { from, to, limit, after }),
  },
];
