import type { DomainEvent, Subscriber } from '@sitter/ports';
import { DOMAIN_EVENTS_TOPIC } from '@sitter/contracts';

export type EventListener = (event: DomainEvent) => void;

/**
 * The domain events this gateway replica receives from the platform's pub/sub, handed to the subscriptions of the
 * replica's own connections. Which connections are open is the replica's own state; the events themselves come from
 * the bus, where each replica reads every event once (a consumer of its own).
 */
export class LiveEventFeed {
  private readonly listeners = new Set<EventListener>();

  listen(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Hands one event to every listener; a listener that throws affects no other. */
  deliver(event: DomainEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A listener closes its own subscription on failure; the others still get the event.
      }
    }
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}

/** Feeds the gateway from a Subscriber port (the embedded runtime's broker, a Dapr sidecar). */
export const feedFromSubscriber = (subscriber: Subscriber, feed: LiveEventFeed): void => {
  subscriber.subscribe<DomainEvent>(DOMAIN_EVENTS_TOPIC, async (message) => feed.deliver(message.data));
};
