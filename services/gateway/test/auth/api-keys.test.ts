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

const settings = (overrides: { API_KEYS: string[]; API_KEY_RATE_LIMIT?: number; API_KEY_FAILURE_LIMIT?: number }) => ({
  API_KEY_RATE_LIMIT: 60,
  API_KEY_FAILURE_LIMIT: 10,
  ...overrides,
});

describe('API key guard', () => {
  const partnerKey = 'partner-key-3f9a1c';
  const otherKey = 'partner-key-77b2e0';
  const address = '203.0.113.7';

  it('when the key is unknown, then it is rejected as unauthenticated without echoing the key', () => {
    const guard = createApiKeyGuard(settings({ API_KEYS: [partnerKey] }));

    const error = caught(() => guard.check('partner-key-guess', address));

    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', message: 'unknown API key' });
    expect(caught(() => guard.check('', address))).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('when no keys are configured, then every key is unknown', () => {
    const guard = createApiKeyGuard(settings({ API_KEYS: [] }));

    expect(caught(() => guard.check(partnerKey, address))).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('when a known key is checked many times, then checking alone takes nothing from its allowance', () => {
    const guard = createApiKeyGuard(settings({ API_KEYS: [partnerKey], API_KEY_RATE_LIMIT: 1 }), new FakeClock());

    for (let call = 0; call < 5; call += 1) expect(caught(() => guard.check(partnerKey, address))).toBeUndefined();
    expect(caught(() => guard.charge(partnerKey, 1))).toBeUndefined();
  });

  it('when a known key is charged within its limit, then every charge passes', () => {
    const guard = createApiKeyGuard(
      settings({ API_KEYS: [otherKey, partnerKey], API_KEY_RATE_LIMIT: 3 }),
      new FakeClock(),
    );

    for (let call = 0; call < 3; call += 1) {
      expect(caught(() => guard.charge(partnerKey, 1))).toBeUndefined();
    }
  });

  it('when the charge after the limit comes within the minute, then it is rate limited with a retry time', () => {
    const clock = new FakeClock();
    const guard = createApiKeyGuard(settings({ API_KEYS: [partnerKey], API_KEY_RATE_LIMIT: 3 }), clock);
    for (let call = 0; call < 3; call += 1) guard.charge(partnerKey, 1);

    const error = caught(() => guard.charge(partnerKey, 1));

    expect(error).toBeInstanceOf(RateLimitedError);
    const limited = error as RateLimitedError;
    expect(limited.retryAfterSeconds).toBe(20);
    expect(limited.message).toBe(
      'rate limit of 3 requests per minute exceeded for this API key (this operation counts as 1); retry in 20s',
    );
    expect(limited.message).not.toContain(partnerKey);
  });

  it('when an operation weighs more than one request, then it takes that many from the allowance', () => {
    const guard = createApiKeyGuard(settings({ API_KEYS: [partnerKey], API_KEY_RATE_LIMIT: 10 }), new FakeClock());

    const heavy = caught(() => guard.charge(partnerKey, 8));
    const tooHeavyForWhatIsLeft = caught(() => guard.charge(partnerKey, 3));
    const light = [1, 2].map(() => caught(() => guard.charge(partnerKey, 1)));
    const overLimit = caught(() => guard.charge(partnerKey, 1));

    expect(heavy).toBeUndefined();
    expect(tooHeavyForWhatIsLeft).toBeInstanceOf(RateLimitedError);
    expect((tooHeavyForWhatIsLeft as RateLimitedError).retryAfterSeconds).toBe(6);
    expect(light).toEqual([undefined, undefined]);
    expect(overLimit).toBeInstanceOf(RateLimitedError);
  });

  it('when an operation weighs more than the whole limit, then it passes only with a full allowance and empties it', () => {
    const clock = new FakeClock();
    const guard = createApiKeyGuard(settings({ API_KEYS: [partnerKey], API_KEY_RATE_LIMIT: 4 }), clock);

    const first = caught(() => guard.charge(partnerKey, 50));
    const next = caught(() => guard.charge(partnerKey, 1));
    clock.advanceSeconds(45);
    const beforeFull = caught(() => guard.charge(partnerKey, 50));
    clock.advanceSeconds(15);
    const whenFull = caught(() => guard.charge(partnerKey, 50));

    expect(first).toBeUndefined();
    expect(next).toBeInstanceOf(RateLimitedError);
    expect(beforeFull).toBeInstanceOf(RateLimitedError);
    expect(whenFull).toBeUndefined();
  });

  it('when the clock advances past the retry time, then the key works again', () => {
    const clock = new FakeClock();
    const guard = createApiKeyGuard(settings({ API_KEYS: [partnerKey], API_KEY_RATE_LIMIT: 3 }), clock);
    for (let call = 0; call < 3; call += 1) guard.charge(partnerKey, 1);
    const limited = caught(() => guard.charge(partnerKey, 1)) as RateLimitedError;

    clock.advanceSeconds(limited.retryAfterSeconds / 2);
    const stillLimited = caught(() => guard.charge(partnerKey, 1));
    clock.advanceSeconds(limited.retryAfterSeconds / 2);
    const afterRetry = caught(() => guard.charge(partnerKey, 1));

    expect(stillLimited).toBeInstanceOf(RateLimitedError);
    expect((stillLimited as RateLimitedError).retryAfterSeconds).toBe(10);
    expect(afterRetry).toBeUndefined();
  });

  it('when a full minute passes, then the whole allowance is back but never more than the limit', () => {
    const clock = new FakeClock();
    const guard = createApiKeyGuard(settings({ API_KEYS: [partnerKey], API_KEY_RATE_LIMIT: 3 }), clock);
    for (let call = 0; call < 3; call += 1) guard.charge(partnerKey, 1);

    clock.advanceSeconds(600);
    const results = [1, 2, 3, 4].map(() => caught(() => guard.charge(partnerKey, 1)));

    expect(results.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    expect(results[3]).toBeInstanceOf(RateLimitedError);
  });

  it('when one key is exhausted, then another key keeps its own allowance', () => {
    const guard = createApiKeyGuard(
      settings({ API_KEYS: [partnerKey, otherKey], API_KEY_RATE_LIMIT: 1 }),
      new FakeClock(),
    );
    guard.charge(partnerKey, 1);

    expect(caught(() => guard.charge(partnerKey, 1))).toBeInstanceOf(RateLimitedError);
    expect(caught(() => guard.charge(otherKey, 1))).toBeUndefined();
  });

  it('when an unknown key is charged, then it is unauthenticated', () => {
    const guard = createApiKeyGuard(settings({ API_KEYS: [partnerKey] }));

    expect(caught(() => guard.charge('partner-key-guess', 1))).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('when an address sends too many unknown keys within a minute, then every key it sends is rate limited', () => {
    const guard = createApiKeyGuard(settings({ API_KEYS: [partnerKey], API_KEY_FAILURE_LIMIT: 3 }), new FakeClock());
    const guesses = [1, 2, 3].map((n) => caught(() => guard.check(`guess-${n}`, address)));

    const nextGuess = caught(() => guard.check('guess-4', address));
    const rightKey = caught(() => guard.check(partnerKey, address));

    expect(guesses.map((error) => (error as AppError).code)).toEqual([
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
      'UNAUTHENTICATED',
    ]);
    expect(nextGuess).toBeInstanceOf(RateLimitedError);
    expect((nextGuess as RateLimitedError).retryAfterSeconds).toBe(20);
    expect((nextGuess as RateLimitedError).message).toBe(
      'more than 3 unknown API keys per minute from this address; retry in 20s',
    );
    expect(rightKey).toBeInstanceOf(RateLimitedError);
  });

  it('when one address is throttled for unknown keys, then another address and the right key still pass', () => {
    const guard = createApiKeyGuard(settings({ API_KEYS: [partnerKey], API_KEY_FAILURE_LIMIT: 1 }), new FakeClock());
    caught(() => guard.check('guess', address));

    expect(caught(() => guard.check('guess', address))).toBeInstanceOf(RateLimitedError);
    expect(caught(() => guard.check(partnerKey, '198.51.100.2'))).toBeUndefined();
  });

  it('when the failed attempts age out, then the address may try again', () => {
    const clock = new FakeClock();
    const guard = createApiKeyGuard(settings({ API_KEYS: [partnerKey], API_KEY_FAILURE_LIMIT: 2 }), clock);
    caught(() => guard.check('guess-1', address));
    caught(() => guard.check('guess-2', address));
    const throttled = caught(() => guard.check(partnerKey, address)) as RateLimitedError;

    clock.advanceSeconds(throttled.retryAfterSeconds);

    expect(throttled).toBeInstanceOf(RateLimitedError);
    expect(caught(() => guard.check(partnerKey, address))).toBeUndefined();
  });

  it('when known keys are used, then they never count as failed attempts', () => {
    const guard = createApiKeyGuard(settings({ API_KEYS: [partnerKey], API_KEY_FAILURE_LIMIT: 1 }), new FakeClock());

    for (let call = 0; call < 5; call += 1) guard.check(partnerKey, address);

    expect(caught(() => guard.check('guess', address))).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
