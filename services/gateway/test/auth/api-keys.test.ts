import { AppError, type Clock } from '@sitter/ports';
import { describeWithInfra, startRedis, type RedisServer } from '@sitter/infra-harness';
import { InMemoryRateLimits, RedisRateLimits } from '../../src';
import { createApiKeyGuard, RateLimitedError, type RateLimitStore } from '../../src/auth';

class FakeClock implements Clock {
  private current = Date.parse('2030-01-01T00:00:00Z');

  now = (): Date => new Date(this.current);

  advanceSeconds(seconds: number): void {
    this.current += seconds * 1000;
  }
}

const caught = async (work: () => Promise<void>): Promise<unknown> => {
  try {
    await work();
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

/** A store for one test, on the test's clock; the Redis one under a key prefix of its own. */
type StoreFor = (clock: Clock) => Promise<RateLimitStore>;

/** The guard's rules, whichever store counts its limits: one contract for process memory and for Redis. */
const apiKeyGuardContract = (storeFor: StoreFor) => {
  const partnerKey = 'partner-key-3f9a1c';
  const otherKey = 'partner-key-77b2e0';
  const address = '203.0.113.7';

  it('when the key is unknown, then it is rejected as unauthenticated without echoing the key', async () => {
    const guard = createApiKeyGuard(settings({ API_KEYS: [partnerKey] }), await storeFor(new FakeClock()));

    const error = await caught(() => guard.check('partner-key-guess', address));

    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', message: 'unknown API key' });
    expect(await caught(() => guard.check('', address))).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('when no keys are configured, then every key is unknown', async () => {
    const guard = createApiKeyGuard(settings({ API_KEYS: [] }), await storeFor(new FakeClock()));

    expect(await caught(() => guard.check(partnerKey, address))).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('when a known key is checked many times, then checking alone takes nothing from its allowance', async () => {
    const guard = createApiKeyGuard(
      settings({ API_KEYS: [partnerKey], API_KEY_RATE_LIMIT: 1 }),
      await storeFor(new FakeClock()),
    );

    for (let call = 0; call < 5; call += 1)
      expect(await caught(() => guard.check(partnerKey, address))).toBeUndefined();
    expect(await caught(() => guard.charge(partnerKey, 1))).toBeUndefined();
  });

  it('when a known key is charged within its limit, then every charge passes', async () => {
    const guard = createApiKeyGuard(
      settings({ API_KEYS: [otherKey, partnerKey], API_KEY_RATE_LIMIT: 3 }),
      await storeFor(new FakeClock()),
    );

    for (let call = 0; call < 3; call += 1) {
      expect(await caught(() => guard.charge(partnerKey, 1))).toBeUndefined();
    }
  });

  it('when the charge after the limit comes within the minute, then it is rate limited with a retry time', async () => {
    const clock = new FakeClock();
    const guard = createApiKeyGuard(settings({ API_KEYS: [partnerKey], API_KEY_RATE_LIMIT: 3 }), await storeFor(clock));
    for (let call = 0; call < 3; call += 1) await guard.charge(partnerKey, 1);

    const error = await caught(() => guard.charge(partnerKey, 1));

    expect(error).toBeInstanceOf(RateLimitedError);
    const limited = error as RateLimitedError;
    expect(limited.retryAfterSeconds).toBe(20);
    expect(limited.message).toBe(
      'rate limit of 3 requests per minute exceeded for this API key (this operation counts as 1); retry in 20s',
    );
    expect(limited.message).not.toContain(partnerKey);
  });

  it('when an operation weighs more than one request, then it takes that many from the allowance', async () => {
    const guard = createApiKeyGuard(
      settings({ API_KEYS: [partnerKey], API_KEY_RATE_LIMIT: 10 }),
      await storeFor(new FakeClock()),
    );

    const heavy = await caught(() => guard.charge(partnerKey, 8));
    const tooHeavyForWhatIsLeft = await caught(() => guard.charge(partnerKey, 3));
    const light = [await caught(() => guard.charge(partnerKey, 1)), await caught(() => guard.charge(partnerKey, 1))];
    const overLimit = await caught(() => guard.charge(partnerKey, 1));

    expect(heavy).toBeUndefined();
    expect(tooHeavyForWhatIsLeft).toBeInstanceOf(RateLimitedError);
    expect((tooHeavyForWhatIsLeft as RateLimitedError).retryAfterSeconds).toBe(6);
    expect(light).toEqual([undefined, undefined]);
    expect(overLimit).toBeInstanceOf(RateLimitedError);
  });

  it('when an operation weighs more than the whole limit, then it passes only with a full allowance and empties it', async () => {
    const clock = new FakeClock();
    const guard = createApiKeyGuard(settings({ API_KEYS: [partnerKey], API_KEY_RATE_LIMIT: 4 }), await storeFor(clock));

    const first = await caught(() => guard.charge(partnerKey, 50));
    const next = await caught(() => guard.charge(partnerKey, 1));
    clock.advanceSeconds(45);
    const beforeFull = await caught(() => guard.charge(partnerKey, 50));
    clock.advanceSeconds(15);
    const whenFull = await caught(() => guard.charge(partnerKey, 50));

    expect(first).toBeUndefined();
    expect(next).toBeInstanceOf(RateLimitedError);
    expect(beforeFull).toBeInstanceOf(RateLimitedError);
    expect(whenFull).toBeUndefined();
  });

  it('when the clock advances past the retry time, then the key works again', async () => {
    const clock = new FakeClock();
    const guard = createApiKeyGuard(settings({ API_KEYS: [partnerKey], API_KEY_RATE_LIMIT: 3 }), await storeFor(clock));
    for (let call = 0; call < 3; call += 1) await guard.charge(partnerKey, 1);
    const limited = (await caught(() => guard.charge(partnerKey, 1))) as RateLimitedError;

    clock.advanceSeconds(limited.retryAfterSeconds / 2);
    const stillLimited = await caught(() => guard.charge(partnerKey, 1));
    clock.advanceSeconds(limited.retryAfterSeconds / 2);
    const afterRetry = await caught(() => guard.charge(partnerKey, 1));

    expect(stillLimited).toBeInstanceOf(RateLimitedError);
    expect((stillLimited as RateLimitedError).retryAfterSeconds).toBe(10);
    expect(afterRetry).toBeUndefined();
  });

  it('when a full minute passes, then the whole allowance is back but never more than the limit', async () => {
    const clock = new FakeClock();
    const guard = createApiKeyGuard(settings({ API_KEYS: [partnerKey], API_KEY_RATE_LIMIT: 3 }), await storeFor(clock));
    for (let call = 0; call < 3; call += 1) await guard.charge(partnerKey, 1);

    clock.advanceSeconds(600);
    const results: unknown[] = [];
    for (let call = 0; call < 4; call += 1) results.push(await caught(() => guard.charge(partnerKey, 1)));

    expect(results.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    expect(results[3]).toBeInstanceOf(RateLimitedError);
  });

  it('when one key is exhausted, then another key keeps its own allowance', async () => {
    const guard = createApiKeyGuard(
      settings({ API_KEYS: [partnerKey, otherKey], API_KEY_RATE_LIMIT: 1 }),
      await storeFor(new FakeClock()),
    );
    await guard.charge(partnerKey, 1);

    expect(await caught(() => guard.charge(partnerKey, 1))).toBeInstanceOf(RateLimitedError);
    expect(await caught(() => guard.charge(otherKey, 1))).toBeUndefined();
  });

  it('when an unknown key is charged, then it is unauthenticated', async () => {
    const guard = createApiKeyGuard(settings({ API_KEYS: [partnerKey] }), await storeFor(new FakeClock()));

    expect(await caught(() => guard.charge('partner-key-guess', 1))).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('when an address sends too many unknown keys within a minute, then every key it sends is rate limited', async () => {
    const guard = createApiKeyGuard(
      settings({ API_KEYS: [partnerKey], API_KEY_FAILURE_LIMIT: 3 }),
      await storeFor(new FakeClock()),
    );
    const guesses: unknown[] = [];
    for (const n of [1, 2, 3]) guesses.push(await caught(() => guard.check(`guess-${n}`, address)));

    const nextGuess = await caught(() => guard.check('guess-4', address));
    const rightKey = await caught(() => guard.check(partnerKey, address));

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

  it('when one address is throttled for unknown keys, then another address and the right key still pass', async () => {
    const guard = createApiKeyGuard(
      settings({ API_KEYS: [partnerKey], API_KEY_FAILURE_LIMIT: 1 }),
      await storeFor(new FakeClock()),
    );
    await caught(() => guard.check('guess', address));

    expect(await caught(() => guard.check('guess', address))).toBeInstanceOf(RateLimitedError);
    expect(await caught(() => guard.check(partnerKey, '198.51.100.2'))).toBeUndefined();
  });

  it('when the failed attempts age out, then the address may try again', async () => {
    const clock = new FakeClock();
    const guard = createApiKeyGuard(
      settings({ API_KEYS: [partnerKey], API_KEY_FAILURE_LIMIT: 2 }),
      await storeFor(clock),
    );
    await caught(() => guard.check('guess-1', address));
    await caught(() => guard.check('guess-2', address));
    const throttled = (await caught(() => guard.check(partnerKey, address))) as RateLimitedError;

    clock.advanceSeconds(throttled.retryAfterSeconds);

    expect(throttled).toBeInstanceOf(RateLimitedError);
    expect(await caught(() => guard.check(partnerKey, address))).toBeUndefined();
  });

  it('when known keys are used, then they never count as failed attempts', async () => {
    const guard = createApiKeyGuard(
      settings({ API_KEYS: [partnerKey], API_KEY_FAILURE_LIMIT: 1 }),
      await storeFor(new FakeClock()),
    );

    for (let call = 0; call < 5; call += 1) await guard.check(partnerKey, address);

    expect(await caught(() => guard.check('guess', address))).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
};

describe('API key guard, limits in process memory', () => {
  apiKeyGuardContract((clock) => Promise.resolve(new InMemoryRateLimits(clock)));
});

// A real redis-server: skipped with a message only outside CI when it is not provisioned (CI=true throws).
describeWithInfra(['redis'])('API key guard, limits in Redis (shared by gateway replicas)', () => {
  let redis: RedisServer;
  const stores: RedisRateLimits[] = [];
  let tests = 0;

  beforeAll(async () => {
    redis = await startRedis();
  });

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await redis?.stop();
  });

  apiKeyGuardContract(async (clock) => {
    tests += 1;
    const store = await RedisRateLimits.connect({
      host: redis.address,
      clock,
      keyPrefix: `api-keys-test:${tests}:`,
      timeoutMs: 5_000,
    });
    stores.push(store);
    return store;
  });
});
