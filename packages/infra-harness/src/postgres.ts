import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, launch, makeTempDir, removeDir, startWithRetries, waitUntilReady } from './processes';
import { locateTool } from './tools';

const run = promisify(execFile);

export interface PostgresServer {
  readonly host: string;
  readonly port: number;
  /** The superuser the cluster was initialised with (trust authentication on 127.0.0.1: no password). */
  readonly user: string;
  readonly database: string;
  /** A keyword/value connection string, as Dapr's state.postgresql `connectionString` takes it. */
  readonly connectionString: string;
  readonly pid: number;
  /** Resolves once postgres has exited (stopped, or killed), with how. */
  readonly exited: Promise<string>;
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** A fixed port instead of a free one. */
  port?: number;
  /** Keep running after this process exits; output goes to dataDir/postgres.log. */
  detached?: boolean;
  /**
   * The cluster's folder (PGDATA), kept across restarts: initialised on the first start, reused after. A fresh
   * temporary cluster, removed on stop, when not given. When started by root, the server runs as Debian's
   * `postgres` user (PostgreSQL refuses root), which must be able to reach this folder.
   */
  dataDir?: string;
  /**
   * PostgreSQL's `synchronous_commit`: 'on' (its default) returns from a commit once the WAL is flushed to disk;
   * 'off' flushes it in the background (within about 0.6 s), like Redis's `appendfsync everysec`: a crash can lose
   * the last commits, never half of one.
   */
  synchronousCommit?: 'on' | 'off';
  startupTimeoutMs?: number;
}

const SUPERUSER = 'postgres';
const DATABASE = 'postgres';

/** Who runs the server: this process's user, or, for root, Debian's `postgres` system user. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error(
      "PostgreSQL refuses to run as root and there is no 'postgres' user (Debian's postgresql package creates it)",
    );
  }
}

/** Answers true when PostgreSQL at host:port accepts connections. */
export async function postgresAnswers(host: string, port: number): Promise<boolean> {
  try {
    await run(path.join(locateTool('postgres'), 'pg_isready'), ['-q', '-h', host, '-p', String(port), '-t', '1']);
    return true;
  } catch {
    return false;
  }
}

/** The cluster at `dataDir`, initialised (trust authentication, UTF-8) unless it already is. */
function initialiseCluster(bin: string, dataDir: string, owner: { uid: number; gid: number } | undefined): void {
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (owner) {
    chownSync(dataDir, owner.uid, owner.gid);
    try {
      execFileSync('test', ['-x', dataDir], { ...owner, stdio: 'ignore' });
    } catch {
      throw new Error(
        `the postgres user (PostgreSQL refuses to run as root) cannot reach ${dataDir}: ` +
          'give it a folder whose parents it may enter (o+x), or start as another user',
      );
    }
  }
  execFileSync(
    path.join(bin, 'initdb'),
    ['-D', dataDir, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'],
    { stdio: ['ignore', 'pipe', 'pipe'], ...(owner ?? {}), env: process.env, cwd: os.tmpdir() },
  );
}

/**
 * Starts Debian's PostgreSQL on a free loopback port: a throwaway cluster (initdb into a temporary folder, removed on
 * stop) unless `dataDir` is given. TCP on 127.0.0.1 only, no Unix socket.
 */
export function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const bin = locateTool('postgres');
  const owner = serverUser();
  return startWithRetries(async () => {
    const host = '127.0.0.1';
    const port = options.port ?? (await freePort());
    const ownsDir = options.dataDir === undefined;
    const workDir = options.dataDir ?? makeTempDir('postgres');
    if (ownsDir && owner) chownSync(workDir, owner.uid, owner.gid);
    const dataDir = ownsDir ? path.join(workDir, 'data') : workDir;
    const removeOwn = () => {
      if (ownsDir) removeDir(workDir);
    };
    try {
      initialiseCluster(bin, dataDir, owner);
    } catch (error) {
      removeOwn();
      const stderr = (error as { stderr?: Buffer }).stderr?.toString('utf8') ?? '';
      throw new Error(`initdb failed in ${dataDir}: ${stderr.trim() || (error as Error).message}`);
    }
    const proc = launch(
      'postgres',
      path.join(bin, 'postgres'),
      [
        '-D',
        dataDir,
        '-p',
        String(port),
        '-c',
        `listen_addresses=${host}`,
        '-c',
        'unix_socket_directories=',
        '-c',
        `synchronous_commit=${options.synchronousCommit ?? 'on'}`,
      ],
      {
        detached: options.detached,
        logFile: path.join(ownsDir ? workDir : dataDir, 'postgres.log'),
        cwd: os.tmpdir(),
        ...(owner ?? {}),
      },
    );
    const stop = async () => {
      // SIGINT is PostgreSQL's fast shutdown: it ends the clients' sessions instead of waiting for them (SIGTERM).
      if (!proc.hasExited()) process.kill(proc.pid, 'SIGINT');
      await proc.stop(10_000);
      removeOwn();
    };
    try {
      await waitUntilReady(proc, 'connections', () => postgresAnswers(host, port), options.startupTimeoutMs ?? 30_000);
    } catch (error) {
      await stop();
      throw error;
    }
    return {
      host,
      port,
      user: SUPERUSER,
      database: DATABASE,
      connectionString: `host=${host} port=${port} user=${SUPERUSER} dbname=${DATABASE} sslmode=disable`,
      pid: proc.pid,
      exited: proc.exited,
      stop,
    };
  });
}
