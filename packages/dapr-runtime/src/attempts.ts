/**
 * Counts deliveries per message, because daprd does not tell the app which attempt a delivery is. The count
 * lives in this process: after an app restart a redelivered message starts again at 1. Bounded: the oldest
 * unsettled counts are forgotten first.
 */
export class AttemptCounter {
  private readonly counts = new Map<string, number>();

  constructor(private readonly capacity = 10_000) {}

  /** Records one more delivery of the message and returns its number (1 for the first). */
  next(messageKey: string): number {
    const attempt = (this.counts.get(messageKey) ?? 0) + 1;
    // Re-inserting keeps the map in order of last delivery, so eviction drops the longest-idle entry.
    this.counts.delete(messageKey);
    this.counts.set(messageKey, attempt);
    if (this.counts.size > this.capacity) {
      const oldest = this.counts.keys().next().value;
      if (oldest !== undefined) this.counts.delete(oldest);
    }
    return attempt;
  }

  /** The message was handled: a later delivery of it (Kafka redelivers after a rebalance) counts from 1 again. */
  settle(messageKey: string): void {
    this.counts.delete(messageKey);
  }
}
