/** A per-key allowance: up to `capacity` units a minute, as a token bucket that refills continuously. */
export interface RateLimit {
  /** Names the limit's buckets apart from other limits' (e.g. "api-key", "api-key-failures"). */
  name: string;
  capacity: number;
}

/**
 * Where the token buckets of the gateway's limits live: process memory (one gateway process) or a store shared by
 * every gateway replica (Redis), so that a limit holds however many replicas a caller's requests reach.
 */
export interface RateLimitStore {
  /**
   * Takes `amount` tokens from the key's bucket and answers 0, or takes nothing and answers the whole seconds until
   * the bucket will hold them (at least 1). An amount above the capacity needs (and empties) a full bucket.
   */
  take(limit: RateLimit, key: string, amount: number): Promise<number>;
  /** The seconds until the key's bucket holds `amount` tokens; 0 when it does now. Takes nothing. */
  secondsUntil(limit: RateLimit, key: string, amount: number): Promise<number>;
}

/**
 * The shared store cannot be reached: the gateway refuses what it cannot count (fail closed, SERVICE_UNAVAILABLE),
 * rather than let API keys run unmetered and key guessing unthrottled.
 */
export class RateLimitStoreUnavailableError extends Error {
  constructor(
    readonly retryAfterSeconds: number,
    options?: ErrorOptions,
  ) {
    super('the rate limits cannot be checked right now; try again shortly', options);
    this.name = 'RateLimitStoreUnavailableError';
  }
}

/** Tokens earned per millisecond by a bucket of `capacity` a minute. */
export const tokensPerMs = (capacity: number): number => capacity / 60_000;

/** Whole seconds (at least 1) until `missing` tokens are earned back. */
export const secondsToEarn = (missing: number, capacity: number): number =>
  Math.max(1, Math.ceil(missing / tokensPerMs(capacity) / 1000));
