import { AppError, type Clock } from '@sitter/ports';
import { createApiKeyGuard, RateLimitedError } from '../../src/auth';

class FakeClock implements Clock {
  private current = Date.parse('2030-01-01T00:00:00Z');

  now = (): Date => new Date(this.current);

  advanceSeconds(seconds: number): void {
    this.current += seconds * 1000;
  }
}

const caught = (work: () => void): unknown => {
  try {
    work();
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('API key guard', () => {
  const partnerKey = 'partner-key-3f9a1c';
  const otherKey = 'partner-key-77b2e0';

  it('when the key is unknown, then it is rejected as unauthenticated without echoing the key', () => {
    const guard = createApiKeyGuard({ API_KEYS: [partnerKey], API_KEY_RATE_LIMIT: 60 });

    const error = caught(() => guard.check('partner-key-guess'));

    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', message: 'unknown API key' });
    expect(caught(() => guard.check(''))).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('when no keys are configured, then every key is unknown', () => {
    const guard = createApiKeyGuard({ API_KEYS: [], API_KEY_RATE_LIMIT: 60 });

    expect(caught(() => guard.check(partnerKey))).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('when a known key calls within its limit, then every call passes', () => {
    const guard = createApiKeyGuard({ API_KEYS: [otherKey, partnerKey], API_KEY_RATE_LIMIT: 3 }, new FakeClock());

    for (let call = 0; call < 3; call += 1) {
      expect(caught(() => guard.check(partnerKey))).toBeUndefined();
    }
  });

  it('when the call after the limit comes within the minute, then it is rate limited with a retry time', () => {
    const clock = new FakeClock();
    const guard = createApiKeyGuard({ API_KEYS: [partnerKey], API_KEY_RATE_LIMIT: 3 }, clock);
    for (let call = 0; call < 3; call += 1) guard.check(partnerKey);

    const error = caught(() => guard.check(partnerKey));

    expect(error).toBeInstanceOf(RateLimitedError);
    const limited = error as RateLimitedError;
    expect(limited.retryAfterSeconds).toBeGreaterThan(0);
    expect(limited.retryAfterSeconds).toBe(20);
    expect(limited.message).toBe('rate limit of 3 requests per minute exceeded for this API key; retry in 20s');
    expect(limited.message).not.toContain(partnerKey);
  });

  it('when the clock advances past the retry time, then the key works again', () => {
    const clock = new FakeClock();
    const guard = createApiKeyGuard({ API_KEYS: [partnerKey], API_KEY_RATE_LIMIT: 3 }, clock);
    for (let call = 0; call < 3; call += 1) guard.check(partnerKey);
    const limited = caught(() => guard.check(partnerKey)) as RateLimitedError;

    clock.advanceSeconds(limited.retryAfterSeconds / 2);
    const stillLimited = caught(() => guard.check(partnerKey));
    clock.advanceSeconds(limited.retryAfterSeconds / 2);
    const afterRetry = caught(() => guard.check(partnerKey));

    expect(stillLimited).toBeInstanceOf(RateLimitedError);
    expect((stillLimited as RateLimitedError).retryAfterSeconds).toBe(10);
    expect(afterRetry).toBeUndefined();
  });

  it('when a full minute passes, then the whole allowance is back but never more than the limit', () => {
    const clock = new FakeClock();
    const guard = createApiKeyGuard({ API_KEYS: [partnerKey], API_KEY_RATE_LIMIT: 3 }, clock);
    for (let call = 0; call < 3; call += 1) guard.check(partnerKey);

    clock.advanceSeconds(600);
    const results = [1, 2, 3, 4].map(() => caught(() => guard.check(partnerKey)));

    expect(results.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    expect(results[3]).toBeInstanceOf(RateLimitedError);
  });

  it('when one key is exhausted, then another key keeps its own allowance', () => {
    const guard = createApiKeyGuard({ API_KEYS: [partnerKey, otherKey], API_KEY_RATE_LIMIT: 1 }, new FakeClock());
    guard.check(partnerKey);

    expect(caught(() => guard.check(partnerKey))).toBeInstanceOf(RateLimitedError);
    expect(caught(() => guard.check(otherKey))).toBeUndefined();
  });
});
