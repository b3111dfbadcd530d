import { randomUUID } from 'node:crypto';
import { DOMAIN_EVENTS_TOPIC, type eventRoutes } from '@sitter/contracts';
import {
  createEventLog,
  listEntityEvents,
  listTypeEvents,
  systemClock,
  type Clock,
  type EventLog,
  type Publisher,
  type StateStore,
} from '@sitter/ports';
import type { Logger } from './logger';
import { requireActor, type Operation } from './operations';
import { currentRequestId } from './request-context';

/**
 * A service's event log: events stamped with the request being served, written in the change's transaction and,
 * once committed, published on DOMAIN_EVENTS_TOPIC keyed by entity id (one entity's events stay in order).
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
    publish: publisher
      ? (event) => publisher.publish(DOMAIN_EVENTS_TOPIC, event, { partitionKey: event.entityId, rawPayload: true })
      : undefined,
    onPublishFailure: (event, error) =>
      deps.logger?.warn('a committed domain event was not published; live subscribers miss it', {
        eventId: event.id,
        type: event.type,
        reason: error instanceof Error ? error.message : String(error),
      }),
  });
};

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
