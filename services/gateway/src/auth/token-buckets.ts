import type { Clock } from '@sitter/ports';

interface Bucket {
  tokens: number;
  refilledAt: number;
}

/**
 * Token buckets by key, in this process's memory: each holds up to `capacity` tokens and earns them back
 * continuously over a minute. Beyond `maxBuckets` keys the oldest bucket is forgotten (it starts full again).
 */
export class TokenBuckets<K> {
  private readonly buckets = new Map<K, Bucket>();
  private readonly tokensPerMs: number;

  constructor(
    readonly capacity: number,
    private readonly clock: Clock,
    private readonly maxBuckets = 10_000,
  ) {
    this.tokensPerMs = capacity / 60_000;
  }

  /**
   * Takes `amount` tokens and answers 0, or takes nothing and answers the seconds until the bucket will
   * hold them. An amount above the capacity needs (and empties) a full bucket, so it can still pass.
   */
  take(key: K, amount: number): number {
    const needed = Math.min(amount, this.capacity);
    const bucket = this.refilled(key);
    if (bucket.tokens < needed) {
      return Math.max(1, Math.ceil((needed - bucket.tokens) / this.tokensPerMs / 1000));
    }
    bucket.tokens -= needed;
    return 0;
  }

  /** The seconds until the bucket holds `amount` tokens; 0 when it does now. Takes nothing. */
  secondsUntil(key: K, amount: number): number {
    const missing = Math.min(amount, this.capacity) - this.refilled(key).tokens;
    return missing <= 0 ? 0 : Math.max(1, Math.ceil(missing / this.tokensPerMs / 1000));
  }

  private refilled(key: K): Bucket {
    const now = this.clock.now().getTime();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxBuckets) {
        const oldest = this.buckets.keys().next().value;
        if (oldest !== undefined) this.buckets.delete(oldest);
      }
      bucket = { tokens: this.capacity, refilledAt: now };
      this.buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(this.capacity, bucket.tokens + Math.max(0, now - bucket.refilledAt) * this.tokensPerMs);
    bucket.refilledAt = now;
    return bucket;
  }
}
