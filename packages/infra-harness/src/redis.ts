import net from 'node:net';
import path from 'node:path';
import { freePort, launch, makeTempDir, removeDir, startWithRetries, waitUntilReady } from './processes';
import { locateTool } from './tools';

export interface RedisServer {
  readonly host: string;
  readonly port: number;
  /** host:port, as Dapr's state.redis `redisHost` wants it. */
  readonly address: string;
  readonly pid: number;
  /** Resolves once redis-server has exited (stopped, or killed), with how. */
  readonly exited: Promise<string>;
  stop(): Promise<void>;
}

export interface StartRedisOptions {
  /** A fixed port instead of a free one. */
  port?: number;
  /** Keep running after this process exits (infra:up); output goes to dataDir/redis.log. */
  detached?: boolean;
  /** Where Redis works; a fresh temporary folder, removed on stop, when not given. */
  dataDir?: string;
  /** Keep the data in dataDir across restarts (append-only file, synced every second); off by default. */
  persist?: boolean;
  startupTimeoutMs?: number;
}

/** Answers true when a Redis server on host:port replies +PONG to PING. */
export function pingRedis(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let reply = '';
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
    });
  });
}

/** Starts Debian's redis-server on a free loopback port, without persistence unless asked. */
export function startRedis(options: StartRedisOptions = {}): Promise<RedisServer> {
  const binary = locateTool('redis');
  return startWithRetries(async () => {
    const host = '127.0.0.1';
    const port = options.port ?? (await freePort());
    const ownsDir = options.dataDir === undefined;
    const dir = options.dataDir ?? makeTempDir('redis');
    const proc = launch(
      'redis-server',
      binary,
      [
        '--bind',
        host,
        '--port',
        String(port),
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        options.persist ? 'yes' : 'no',
        '--appendfsync',
        'everysec',
        '--daemonize',
        'no',
        '--logfile',
        '',
      ],
      { detached: options.detached, logFile: path.join(dir, 'redis.log') },
    );
    const stop = async () => {
      await proc.stop(5_000);
      if (ownsDir) removeDir(dir);
    };
    try {
      await waitUntilReady(proc, 'PONG', () => pingRedis(host, port), options.startupTimeoutMs ?? 15_000);
    } catch (error) {
      await stop();
      throw error;
    }
    return { host, port, address: `${host}:${port}`, pid: proc.pid, exited: proc.exited, stop };
  });
}
