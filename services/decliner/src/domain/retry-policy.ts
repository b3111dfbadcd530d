/** How often a transient failure is tried again, and how long to wait in between. */
export interface RetryPolicy {
  /** Attempts in all, the first one included; then the message is dead-lettered. */
  maxAttempts: number;
  /** Wait after the first failed attempt; doubled after each further one. */
  initialBackoffMs: number;
  maxBackoffMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5, initialBackoffMs: 500, maxBackoffMs: 8_000 };

/** The wait after attempt number `failedAttempt` (1-based) failed. */
export const backoffAfter = (policy: RetryPolicy, failedAttempt: number): number =>
  Math.min(policy.initialBackoffMs * 2 ** (failedAttempt - 1), policy.maxBackoffMs);

/** The longest any message can spend in retries: what the consumer's timeouts must allow for. */
export const retryBudgetMs = (policy: RetryPolicy): number => {
  let total = 0;
  for (let attempt = 1; attempt < policy.maxAttempts; attempt += 1) total += backoffAfter(policy, attempt);
  return total;
};
