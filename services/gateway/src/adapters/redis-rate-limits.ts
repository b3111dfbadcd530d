import { createHash } from 'node:crypto';
import { createClient, type RedisClientType } from 'redis';
import { systemClock, type Clock } from '@sitter/ports';
import { RateLimitStoreUnavailableError, type RateLimit, type RateLimitStore } from '../auth/rate-limits';

/**
 * One bucket, refilled and (when ARGV[4] is 1) charged in one atomic step on the server: no two gateways can both
 * spend the same token. KEYS[1]: the bucket, a hash {tokens, at}. ARGV: capacity a minute, amount, now (ms), take.
 * `at` never moves back, so a replica whose clock lags cannot earn tokens twice. A bucket untouched for a minute
 * is full again, so the key expires then.
 */
const TAKE_SCRIPT = `
local capacity = tonumber(ARGV[1])
local needed = math.min(tonumber(ARGV[2]), capacity)
local now = tonumber(ARGV[3])
local per_ms = capacity / 60000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(state[1]), tonumber(state[2])
if tokens == nil or at == nil then tokens, at = capacity, now end
tokens = math.min(capacity, tokens + math.max(0, now - at) * per_ms)
if tokens < needed then
  return math.max(1, math.ceil((needed - tokens) / per_ms / 1000))
end
if ARGV[4] == '1' then
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens - needed), 'at', tostring(math.max(now, at)))
  redis.call('PEXPIRE', KEYS[1], 60000)
end
return 0
`;
const TAKE_SCRIPT_SHA1 = createHash('sha1').update(TAKE_SCRIPT).digest('hex');

export interface RedisRateLimitsOptions {
  /** host:port of Redis (the state store's, as Dapr's redisHost names it). */
  host: string;
  password?: string;
  tls?: boolean;
  /** How long one check may wait for Redis before the request is refused as SERVICE_UNAVAILABLE. */
  timeoutMs?: number;
  /** Prefixed to every key, so that several systems can share one Redis. */
  keyPrefix?: string;
  clock?: Clock;
  /** Told when the connection fails (the client keeps reconnecting in the background). */
  onError?: (error: Error) => void;
}

/**
 * Token buckets in Redis, shared by every gateway replica: one round trip per check (a Lua script, EVALSHA), keys
 * that expire once their bucket is full again. When Redis cannot be reached within `timeoutMs` (or the client is
 * reconnecting: nothing is queued), every check throws RateLimitStoreUnavailableError: fail closed.
 */
export class RedisRateLimits implements RateLimitStore {
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly keyPrefix: string;

  private constructor(
    private readonly client: RedisClientType,
    options: RedisRateLimitsOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.timeoutMs = options.timeoutMs ?? 500;
    this.keyPrefix = options.keyPrefix ?? 'sitter:gateway:rate:';
  }

  /**
   * Connects, waiting up to `timeoutMs` for the first connection; a Redis not up by then does not stop the gateway
   * (the client keeps reconnecting in the background, and until it is connected checks fail closed).
   */
  static async connect(options: RedisRateLimitsOptions): Promise<RedisRateLimits> {
    const [host, port] = splitHost(options.host);
    const client = createClient({
      socket: {
        host,
        port,
        tls: options.tls === true ? true : undefined,
        connectTimeout: options.timeoutMs ?? 500,
        reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000),
      },
      password: options.password,
      disableOfflineQueue: true,
    }) as RedisClientType;
    client.on('error', (error: Error) => options.onError?.(error));
    const connected = client.connect().then(
      () => undefined,
      (error: Error) => options.onError?.(error),
    );
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, options.timeoutMs ?? 500)));
    await Promise.race([connected, gaveUp]);
    clearTimeout(timer);
    return new RedisRateLimits(client, options);
  }

  take(limit: RateLimit, key: string, amount: number): Promise<number> {
    return this.run(limit, key, amount, true);
  }

  secondsUntil(limit: RateLimit, key: string, amount: number): Promise<number> {
    return this.run(limit, key, amount, false);
  }

  async close(): Promise<void> {
    if (this.client.isOpen) await this.client.close();
    else this.client.destroy();
  }

  private async run(limit: RateLimit, key: string, amount: number, take: boolean): Promise<number> {
    const script = {
      keys: [`${this.keyPrefix}${limit.name}:${key}`],
      arguments: [String(limit.capacity), String(amount), String(this.clock.now().getTime()), take ? '1' : '0'],
    };
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      const reply = await Promise.race([this.evaluate(script), timedOut]);
      return Number(reply);
    } catch (error) {
      throw new RateLimitStoreUnavailableError(1, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  /** EVALSHA, and EVAL once when Redis does not know the script yet (a new or restarted Redis). */
  private async evaluate(script: { keys: string[]; arguments: string[] }): Promise<unknown> {
    try {
      return await this.client.evalSha(TAKE_SCRIPT_SHA1, script);
    } catch (error) {
      if (!String((error as Error).message).startsWith('NOSCRIPT')) throw error;
      return this.client.eval(TAKE_SCRIPT, script);
    }
  }
}

const splitHost = (address: string): [string, number] => {
  const at = address.lastIndexOf(':');
  return at === -1 ? [address, 6379] : [address.slice(0, at), Number(address.slice(at + 1))];
};
