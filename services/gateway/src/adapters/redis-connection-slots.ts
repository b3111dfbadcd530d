import { createHash } from 'node:crypto';
import { createClient, type RedisClientType } from 'redis';
import { systemClock, type Clock } from '@sitter/ports';
import {
  CONNECTION_SLOT_TTL_MS,
  ConnectionSlotsUnavailableError,
  type ConnectionSlots,
} from '../live/connection-slots';
import type { RedisRateLimitsOptions } from './redis-rate-limits';

/**
 * A user's slots are one sorted set: member the connection id, score its expiry (ms). Dropping the expired ones,
 * counting and adding happen in one script on the server, so two gateways cannot both take the user's last slot.
 * KEYS[1]: the user's set. ARGV: now, expiry, connection id, max. The set itself expires with its newest slot.
 */
const ACQUIRE_SCRIPT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZSCORE', KEYS[1], ARGV[3]) == false and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then
  return 0
end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('PEXPIREAT', KEYS[1], redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')[2])
return 1
`;
const ACQUIRE_SCRIPT_SHA1 = createHash('sha1').update(ACQUIRE_SCRIPT).digest('hex');

/** KEYS[1]: the user's set. ARGV: now, expiry, connection id. 1 if the slot was still held and is extended. */
const REFRESH_SCRIPT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZADD', KEYS[1], 'XX', 'CH', ARGV[2], ARGV[3]) == 0 and redis.call('ZSCORE', KEYS[1], ARGV[3]) == false then
  return 0
end
redis.call('PEXPIREAT', KEYS[1], redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')[2])
return 1
`;
const REFRESH_SCRIPT_SHA1 = createHash('sha1').update(REFRESH_SCRIPT).digest('hex');

export type RedisConnectionSlotsOptions = Omit<RedisRateLimitsOptions, 'keyPrefix'> & {
  /** Prefixed to every key, so that several systems can share one Redis. */
  keyPrefix?: string;
  ttlMs?: number;
};

/**
 * LIVE_MAX_CONNECTIONS_PER_USER across gateway replicas, in the Redis of the API-key limits, with their rule: when
 * Redis cannot be reached within `timeoutMs` a new connection is refused (fail closed); an open one keeps going.
 */
export class RedisConnectionSlots implements ConnectionSlots {
  readonly ttlMs: number;
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly keyPrefix: string;

  private constructor(
    private readonly client: RedisClientType,
    options: RedisConnectionSlotsOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.timeoutMs = options.timeoutMs ?? 500;
    this.keyPrefix = options.keyPrefix ?? 'sitter:gateway:live:';
    this.ttlMs = options.ttlMs ?? CONNECTION_SLOT_TTL_MS;
  }

  /** Connects, waiting up to `timeoutMs`; until connected, acquire throws (the client keeps reconnecting). */
  static async connect(options: RedisConnectionSlotsOptions): Promise<RedisConnectionSlots> {
    const at = options.host.lastIndexOf(':');
    const [host, port] =
      at === -1 ? [options.host, 6379] : [options.host.slice(0, at), Number(options.host.slice(at + 1))];
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
    return new RedisConnectionSlots(client, options);
  }

  async acquire(username: string, connectionId: string, max: number): Promise<boolean> {
    const now = this.clock.now().getTime();
    const args = [String(now), String(now + this.ttlMs), connectionId, String(max)];
    return (await this.run(ACQUIRE_SCRIPT, ACQUIRE_SCRIPT_SHA1, username, args)) === 1;
  }

  async refresh(username: string, connectionId: string): Promise<boolean> {
    const now = this.clock.now().getTime();
    const args = [String(now), String(now + this.ttlMs), connectionId];
    return (await this.run(REFRESH_SCRIPT, REFRESH_SCRIPT_SHA1, username, args)) === 1;
  }

  async release(username: string, connectionId: string): Promise<void> {
    await this.withTimeout(this.client.zRem(this.key(username), connectionId));
  }

  async close(): Promise<void> {
    if (this.client.isOpen) await this.client.close();
    else this.client.destroy();
  }

  private key(username: string): string {
    return `${this.keyPrefix}${username}`;
  }

  private run(script: string, sha1: string, username: string, args: string[]): Promise<number> {
    const call = { keys: [this.key(username)], arguments: args };
    const evaluate = async () => {
      try {
        return await this.client.evalSha(sha1, call);
      } catch (error) {
        if (!String((error as Error).message).startsWith('NOSCRIPT')) throw error;
        return this.client.eval(script, call);
      }
    };
    return this.withTimeout(evaluate()).then(Number);
  }

  private async withTimeout<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      return await Promise.race([work, timedOut]);
    } catch (error) {
      throw new ConnectionSlotsUnavailableError({ cause: error });
    } finally {
      clearTimeout(timer);
    }
  }
}
