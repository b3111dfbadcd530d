import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError, systemClock, type Clock } from '@sitter/ports';
import type { AuthConfig } from './auth-config';
import { TokenBuckets } from './token-buckets';

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
 * Partner API keys and their allowances. The implementation below keeps them in process memory, so each
 * gateway replica counts on its own; a shared store (Redis) can implement the same interface.
 */
export interface ApiKeyGuard {
  /**
   * Throws UNAUTHENTICATED for an unknown key. Once a client address has sent API_KEY_FAILURE_LIMIT unknown
   * keys within a minute, every key it sends gets RateLimitedError until its allowance refills, so keys
   * cannot be guessed quickly.
   */
  check(apiKey: string, clientAddress: string): void;
  /**
   * Takes an operation's weight in requests from a known key's allowance of API_KEY_RATE_LIMIT per minute;
   * throws RateLimitedError when the allowance does not hold that many.
   */
  charge(apiKey: string, weight: number): void;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * A token bucket per key, and one per client address for failed attempts. Only hashes of the keys are
 * kept, and they are compared in constant time.
 */
export const createApiKeyGuard = (
  config: Pick<AuthConfig, 'API_KEYS' | 'API_KEY_RATE_LIMIT' | 'API_KEY_FAILURE_LIMIT'>,
  clock: Clock = systemClock,
): ApiKeyGuard => {
  const knownDigests = config.API_KEYS.map(digest);
  const allowances = new TokenBuckets<number>(config.API_KEY_RATE_LIMIT, clock);
  const failures = new TokenBuckets<string>(config.API_KEY_FAILURE_LIMIT, clock);

  const indexOf = (apiKey: string): number => {
    const candidate = digest(apiKey);
    let found = -1;
    // Every known key is compared, so the time taken does not tell which one (if any) matched.
    knownDigests.forEach((known, index) => {
      if (timingSafeEqual(known, candidate) && found === -1) found = index;
    });
    return found;
  };

  const knownIndex = (apiKey: string): number => {
    const index = apiKey ? indexOf(apiKey) : -1;
    if (index === -1) throw new AppError('UNAUTHENTICATED', 'unknown API key');
    return index;
  };

  return {
    check: (apiKey, clientAddress) => {
      const wait = failures.secondsUntil(clientAddress, 1);
      if (wait > 0) {
        throw new RateLimitedError(
          `more than ${failures.capacity} unknown API keys per minute from this address`,
          wait,
        );
      }
      try {
        knownIndex(apiKey);
      } catch (error) {
        failures.take(clientAddress, 1);
        throw error;
      }
    },
    charge: (apiKey, weight) => {
      const wait = allowances.take(knownIndex(apiKey), weight);
      if (wait > 0) {
        throw new RateLimitedError(
          `rate limit of ${allowances.capacity} requests per minute exceeded for this API key (this operation counts as ${weight})`,
          wait,
        );
      }
    },
  };
};
