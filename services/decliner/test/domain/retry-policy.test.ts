import { backoffAfter, defaultRetryPolicy, retryBudgetMs } from '../../src/domain';

describe('the retry policy', () => {
  it('when attempts fail, then the wait doubles from the initial backoff up to the maximum', () => {
    const policy = { maxAttempts: 8, initialBackoffMs: 100, maxBackoffMs: 1_000 };

    const waits = [1, 2, 3, 4, 5, 6, 7].map((attempt) => backoffAfter(policy, attempt));

    expect(waits).toEqual([100, 200, 400, 800, 1_000, 1_000, 1_000]);
  });

  it('when the defaults apply, then a message waits at most 7.5 s over its 5 attempts', () => {
    expect(defaultRetryPolicy.maxAttempts).toBe(5);
    expect(retryBudgetMs(defaultRetryPolicy)).toBe(500 + 1_000 + 2_000 + 4_000);
  });

  it('when there is one attempt only, then there is no wait', () => {
    expect(retryBudgetMs({ maxAttempts: 1, initialBackoffMs: 500, maxBackoffMs: 500 })).toBe(0);
  });
});
