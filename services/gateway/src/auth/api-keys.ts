import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '@sitter/ports';
import { InMemoryRateLimits } from '../adapters/in-memory-rate-limits';
import type { AuthConfig } from './auth-config';
import type { RateLimit, RateLimitStore } from './rate-limits';

export class RateLimitedError extends Error {
  readonly code = 'RATE_LIMITED';

  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(`${message}; retry in ${retryAfterSeconds}s`);
    this.name = 'RateLimitedError';
  }
}

/**
 * Partner API keys and their allowances, counted in a RateLimitStore: process memory for one gateway, Redis when
 * replicas share the limits. A store that cannot be reached makes both checks throw
 * RateLimitStoreUnavailableError (fail closed).
 */
export interface ApiKeyGuard {
  /**
   * Throws UNAUTHENTICATED for an unknown key. Once a client address has sent API_KEY_FAILURE_LIMIT unknown
   * keys within a minute, every key it sends gets RateLimitedError until its allowance refills, so keys
   * cannot be guessed quickly.
   */
  check(apiKey: string, clientAddress: string): Promise<void>;
  /**
   * Takes an operation's weight in requests from a known key's allowance of API_KEY_RATE_LIMIT per minute;
   * throws RateLimitedError when the allowance does not hold that many.
   */
  charge(apiKey: string, weight: number): Promise<void>;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * A token bucket per key (named by the key's hash, the same on every replica), and one per client address for
 * failed attempts. Only hashes of the keys are kept, and they are compared in constant time.
 */
export const createApiKeyGuard = (
  config: Pick<AuthConfig, 'API_KEYS' | 'API_KEY_RATE_LIMIT' | 'API_KEY_FAILURE_LIMIT'>,
  store: RateLimitStore = new InMemoryRateLimits(),
): ApiKeyGuard => {
  const knownDigests = config.API_KEYS.map(digest);
  const allowances: RateLimit = { name: 'api-key', capacity: config.API_KEY_RATE_LIMIT };
  const failures: RateLimit = { name: 'api-key-failures', capacity: config.API_KEY_FAILURE_LIMIT };

  const indexOf = (apiKey: string): number => {
    const candidate = digest(apiKey);
    let found = -1;
    // Every known key is compared, so the time taken does not tell which one (if any) matched.
    knownDigests.forEach((known, index) => {
      if (timingSafeEqual(known, candidate) && found === -1) found = index;
    });
    return found;
  };

  const knownDigest = (apiKey: string): string => {
    const index = apiKey ? indexOf(apiKey) : -1;
    if (index === -1) throw new AppError('UNAUTHENTICATED', 'unknown API key');
    return knownDigests[index].toString('hex');
  };

  return {
    check: async (apiKey, clientAddress) => {
      const wait = await store.secondsUntil(failures, clientAddress, 1);
      if (wait > 0) {
        throw new RateLimitedError(
          `more than ${failures.capacity} unknown API keys per minute from this address`,
          wait,
        );
      }
      try {
        knownDigest(apiKey);
      } catch (error) {
        await store.take(failures, clientAddress, 1);
        throw error;
      }
    },
    charge: async (apiKey, weight) => {
      const wait = await store.take(allowances, knownDigest(apiKey), weight);
      if (wait > 0) {
        throw new RateLimitedError(
          `rate limit of ${allowances.capacity} requests per minute exceeded for this API key (this operation counts as ${weight})`,
          wait,
        );
      }
    },
  };
};
