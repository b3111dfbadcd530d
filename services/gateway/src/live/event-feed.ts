import type { DomainEvent, Subscriber } from '@sitter/ports';
import { DOMAIN_EVENTS_TOPIC } from '@sitter/contracts';

export type EventListener = (event: DomainEvent) => void;

/**
 * The domain events this gateway replica receives from the platform's pub/sub, handed to the subscriptions of the
 * replica's own connections. Which connections are open is the replica's own state; the events themselves come from
 * the bus, where each replica reads every event once (a consumer of its own).
 *
 * The bus delivers at least once, and a service's outbox relay may publish an event again (a publish that
 * succeeded but was not yet taken out of the outbox): the feed hands on an event id it has seen among the last
 * `rememberedIds` events only once.
 */
export class LiveEventFeed {
  private readonly listeners = new Set<EventListener>();
  /** Recently delivered ids, oldest first (a Set keeps insertion order). */
  private readonly seen = new Set<string>();

  constructor(private readonly rememberedIds = 10_000) {}

  listen(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Hands one event to every listener, unless it was delivered before; a listener that throws affects no other. */
  deliver(event: DomainEvent): void {
    if (this.seen.has(event.id)) return;
    this.seen.add(event.id);
    if (this.seen.size > this.rememberedIds) this.seen.delete(this.seen.values().next().value as string);
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
