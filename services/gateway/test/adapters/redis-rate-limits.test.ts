import { createClient } from 'redis';
import { describeWithInfra, freePort, startRedis, type RedisServer } from '@sitter/infra-harness';
import { RateLimitStoreUnavailableError, RedisRateLimits } from '../../src';
import { API_KEY, answerOf, codesOf, startGateway } from '../protection/gateway-fixture';

const OPEN_JOBS = '{ listJobsByStatus(jobStatus: OPEN, limit: 5) { items { id } } }';

const limit = (name: string, capacity: number) => ({ name, capacity });

const outcome = (work: Promise<number>): Promise<number | Error> => work.catch((error: Error) => error);

// A real redis-server: skipped with a message only outside CI when it is not provisioned (CI=true throws).
describeWithInfra(['redis'])('API-key limits in Redis, shared by gateway replicas', () => {
  let redis: RedisServer;
  const stores: RedisRateLimits[] = [];
  const connect = async (keyPrefix: string, host = redis.address) => {
    const store = await RedisRateLimits.connect({ host, keyPrefix, timeoutMs: 2_000 });
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    redis = await startRedis();
  });

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await redis?.stop();
  });

  it('when two gateways race for one key, then together they take no more than its limit', async () => {
    // Arrange
    const [first, second] = [await connect('race:'), await connect('race:')];
    const bucket = limit('api-key', 10);

    // Act
    const waits = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? first : second).take(bucket, 'partner', 1)),
    );

    // Assert
    expect(waits.filter((wait) => wait === 0)).toHaveLength(10);
    expect(waits.filter((wait) => wait > 0)).toHaveLength(20);
  });

  it('when a bucket is charged, then its Redis key expires within a minute (a full bucket needs no key)', async () => {
    // Arrange
    const store = await connect('ttl:');
    const client = createClient({ url: `redis://${redis.address}` });
    client.on('error', () => undefined);
    await client.connect();

    // Act
    await store.take(limit('api-key', 5), 'partner', 1);
    const ttl = await client.pTTL('ttl:api-key:partner');
    const looked = await store.secondsUntil(limit('api-key', 5), 'other', 1);
    const lookedAtExists = await client.exists('ttl:api-key:other');
    await client.close();

    // Assert
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(looked).toBe(0);
    expect(lookedAtExists).toBe(0);
  });

  it('when Redis cannot be reached, then every check fails closed, and passes again once Redis is back', async () => {
    // Arrange
    const port = await freePort();
    let own = await startRedis({ port });
    const store = await connect('outage:', own.address);
    const bucket = limit('api-key', 5);
    const before = await outcome(store.take(bucket, 'partner', 1));

    // Act
    await own.stop();
    const during = await outcome(store.take(bucket, 'partner', 1));
    const lookDuring = await outcome(store.secondsUntil(bucket, 'partner', 1));
    own = await startRedis({ port });
    let after: number | Error = new Error('not tried');
    for (let attempt = 0; attempt < 50 && after instanceof Error; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      after = await outcome(store.take(bucket, 'partner', 1));
    }
    await own.stop();

    // Assert
    expect(before).toBe(0);
    expect(during).toBeInstanceOf(RateLimitStoreUnavailableError);
    expect(lookDuring).toBeInstanceOf(RateLimitStoreUnavailableError);
    expect(after).toBe(0);
  }, 30_000);

  it('when the gateway cannot reach its rate-limit Redis, then API-key requests get SERVICE_UNAVAILABLE (503) and token-only ones are served', async () => {
    // Arrange: nothing listens on the port
    const gateway = await startGateway({}, await connect('down:', `127.0.0.1:${await freePort()}`));

    try {
      // Act
      const keyed = await gateway.post({ query: OPEN_JOBS }, { 'x-api-key': API_KEY });
      const keyedAnswer = await answerOf(keyed);
      const tokenOnly = await answerOf(
        await gateway.post({ query: OPEN_JOBS }, { authorization: `Bearer ${gateway.token('eve')}` }),
      );

      // Assert
      expect([keyedAnswer.status, ...codesOf(keyedAnswer)]).toEqual([503, 'SERVICE_UNAVAILABLE']);
      expect(Number(keyed.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(tokenOnly.errors).toBeUndefined();
      expect(gateway.calls).toHaveLength(1);
    } finally {
      await gateway.stop();
    }
  });
});
