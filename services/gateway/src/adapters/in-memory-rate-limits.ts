import { systemClock, type Clock } from '@sitter/ports';
import { secondsToEarn, tokensPerMs, type RateLimit, type RateLimitStore } from '../auth/rate-limits';

interface Bucket {
  tokens: number;
  refilledAt: number;
}

/**
 * Token buckets in this process's memory: right for one gateway process (`npm start`); each replica would count on
 * its own. Beyond `maxBuckets` keys per limit the oldest bucket is forgotten (it starts full again).
 */
export class InMemoryRateLimits implements RateLimitStore {
  private readonly buckets = new Map<string, Map<string, Bucket>>();

  constructor(
    private readonly clock: Clock = systemClock,
    private readonly maxBuckets = 10_000,
  ) {}

  take(limit: RateLimit, key: string, amount: number): Promise<number> {
    const needed = Math.min(amount, limit.capacity);
    const bucket = this.refilled(limit, key);
    if (bucket.tokens < needed) return Promise.resolve(secondsToEarn(needed - bucket.tokens, limit.capacity));
    bucket.tokens -= needed;
    return Promise.resolve(0);
  }

  secondsUntil(limit: RateLimit, key: string, amount: number): Promise<number> {
    const missing = Math.min(amount, limit.capacity) - this.refilled(limit, key).tokens;
    return Promise.resolve(missing <= 0 ? 0 : secondsToEarn(missing, limit.capacity));
  }

  private refilled(limit: RateLimit, key: string): Bucket {
    const now = this.clock.now().getTime();
    let buckets = this.buckets.get(limit.name);
    if (!buckets) this.buckets.set(limit.name, (buckets = new Map()));
    let bucket = buckets.get(key);
    if (!bucket) {
      if (buckets.size >= this.maxBuckets) {
        const oldest = buckets.keys().next().value;
        if (oldest !== undefined) buckets.delete(oldest);
      }
      bucket = { tokens: limit.capacity, refilledAt: now };
      buckets.set(key, bucket);
    }
    const earned = Math.max(0, now - bucket.refilledAt) * tokensPerMs(limit.capacity);
    bucket.tokens = Math.min(limit.capacity, bucket.tokens + earned);
    bucket.refilledAt = now;
    return bucket;
  }
}
