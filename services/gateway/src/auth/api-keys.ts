import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError, systemClock, type Clock } from '@sitter/ports';
import type { AuthConfig } from './auth-config';

export class RateLimitedError extends Error {
  readonly code = 'RATE_LIMITED';

  constructor(
    readonly limitPerMinute: number,
    readonly retryAfterSeconds: number,
  ) {
    super(
      `rate limit of ${limitPerMinute} requests per minute exceeded for this API key; retry in ${retryAfterSeconds}s`,
    );
    this.name = 'RateLimitedError';
  }
}

export interface ApiKeyGuard {
  /** Throws UNAUTHENTICATED for an unknown key and RateLimitedError when the key is over its limit. */
  check(apiKey: string): void;
}

interface Bucket {
  tokens: number;
  refilledAt: number;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Partner API keys with a per-key token bucket: each key holds up to `API_KEY_RATE_LIMIT` requests
 * and earns them back continuously over a minute. Only hashes of the keys are kept, and they are
 * compared in constant time.
 */
export const createApiKeyGuard = (
  config: Pick<AuthConfig, 'API_KEYS' | 'API_KEY_RATE_LIMIT'>,
  clock: Clock = systemClock,
): ApiKeyGuard => {
  const knownDigests = config.API_KEYS.map(digest);
  const capacity = config.API_KEY_RATE_LIMIT;
  const tokensPerMs = capacity / 60_000;
  const buckets = new Map<number, Bucket>();

  const indexOf = (apiKey: string): number => {
    const candidate = digest(apiKey);
    let found = -1;
    // Every known key is compared, so the time taken does not tell which one (if any) matched.
    knownDigests.forEach((known, index) => {
      if (timingSafeEqual(known, candidate) && found === -1) found = index;
    });
    return found;
  };

  return {
    check: (apiKey) => {
      const index = apiKey ? indexOf(apiKey) : -1;
      if (index === -1) throw new AppError('UNAUTHENTICATED', 'unknown API key');

      const now = clock.now().getTime();
      const bucket = buckets.get(index) ?? { tokens: capacity, refilledAt: now };
      bucket.tokens = Math.min(capacity, bucket.tokens + Math.max(0, now - bucket.refilledAt) * tokensPerMs);
      bucket.refilledAt = now;
      buckets.set(index, bucket);

      if (bucket.tokens < 1) {
        const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / tokensPerMs / 1000));
        throw new RateLimitedError(capacity, retryAfterSeconds);
      }
      bucket.tokens -= 1;
    },
  };
};
