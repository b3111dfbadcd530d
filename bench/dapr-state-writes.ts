/**
 * Which state store the Dapr system should write to: the same writes through one daprd per store on
 *   - state.redis with LockedStateStore (lock.redis key locks: what makes its writes all-or-nothing),
 *   - state.redis alone (not all-or-nothing: for comparison only),
 *   - state.postgresql v2, its own transactions, no locks: PostgreSQL with synchronous_commit on (its default:
 *     a commit waits for its WAL flush) and off (flushed in the background, as Redis's appendfsync everysec),
 *   - state.sqlite, its own transactions, no locks,
 * and, without a sidecar, the embedded runtime's journaled store (`npm start`'s, no fsync: its default) as the ceiling.
 * Two loads: a record and its index written together in one transaction on fresh keys, the record onlyIfAbsent (no
 * contention: what a createJob writes), and writers incrementing one counter with ETags and retrying on conflicts
 * (contention). Prints a table and writes bench/results/<BENCH_NAME>.json. Figures only: nothing passes or fails.
 * Needs the provisioned tools (npm run infra:provision).
 * Run: npx tsx bench/dapr-state-writes.ts [seconds 5] [writers 8]
 * Environment: BENCH_NAME (dapr-state-writes), BENCH_RESULTS_DIR (bench/results), BENCH_PG_MAX_CONNS (the
 * connections each daprd pools to PostgreSQL; the system's by default).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ConcurrencyConflictError, type StateStore } from '@sitter/ports';
import { createLogger } from '@sitter/platform';
import { DaprStateStore, KeyLocks, LockedStateStore, SidecarConnection } from '@sitter/dapr-runtime';
import { PersistentStateStore } from '@sitter/embedded-runtime';
import {
  makeTempDir,
  REPO_ROOT,
  startDaprd,
  startPostgres,
  startRedis,
  systemPostgresMaxConns,
  writeDaprResources,
  type DaprResourceOptions,
} from '@sitter/infra-harness';
import { cpuOfTree } from './lib/targets';

const [seconds, writers] = [5, 8].map((fallback, index) => Number(process.argv[2 + index] ?? fallback));
const settings = {
  seconds,
  writers,
  name: process.env.BENCH_NAME ?? 'dapr-state-writes',
  resultsDir: process.env.BENCH_RESULTS_DIR ?? path.join(REPO_ROOT, 'bench', 'results'),
  /** The pool of state.postgresql's connections per daprd; the system's (systemPostgresStore) by default. */
  postgresMaxConns: Number(process.env.BENCH_PG_MAX_CONNS ?? 0) || systemPostgresMaxConns,
};
const logger = createLogger('bench', 'silent');

interface LoadFigures {
  writesPerSecond: number;
  writes: number;
  p50: number;
  p99: number;
  conflictsRetried: number;
  /**
   * CPU (user + system) per write, in ms, of each process the write went through: `app` (this process: the adapter,
   * its locks), `daprd`, and the store's server (redis-server; postgres with its backends).
   */
  cpuMsPerWrite: Record<string, number>;
  /** What the CPU per write allows on this machine's cores if nothing else ran: cores × 1000 / total ms. */
  writesPerSecondCpuBound: number;
  loadAverage: number[];
}

/** CPU ms used by each named process tree (and by this process, `app`) while `work` runs. */
async function cpuDuring<T>(
  roots: Record<string, number>,
  work: () => Promise<T>,
): Promise<[T, Record<string, number>]> {
  const before = Object.fromEntries(Object.entries(roots).map(([name, pid]) => [name, cpuOfTree(pid)]));
  const appBefore = process.cpuUsage();
  const result = await work();
  const app = process.cpuUsage(appBefore);
  const used: Record<string, number> = { app: (app.user + app.system) / 1000 };
  for (const [name, pid] of Object.entries(roots)) {
    let ms = 0;
    for (const [member, after] of cpuOfTree(pid)) ms += after - (before[name]!.get(member) ?? 0);
    used[name] = ms;
  }
  return [result, used];
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

const round1 = (n: number) => Math.round(n * 10) / 10;

/** `writers` loops run `write` until the time is up; each write is timed, and the CPU of `processes` counted. */
async function drive(write: (n: number) => Promise<number>, processes: Record<string, number>): Promise<LoadFigures> {
  const [figures, cpu] = await cpuDuring(processes, () => writeFor(write));
  const cpuMsPerWrite = Object.fromEntries(
    Object.entries(cpu).map(([name, ms]) => [name, Math.round((ms / Math.max(1, figures.writes)) * 1000) / 1000]),
  );
  const total = Object.values(cpuMsPerWrite).reduce((sum, ms) => sum + ms, 0);
  return {
    ...figures,
    cpuMsPerWrite,
    writesPerSecondCpuBound: Math.round((os.cpus().length * 1000) / Math.max(total, 0.001)),
  };
}

async function writeFor(
  write: (n: number) => Promise<number>,
): Promise<Omit<LoadFigures, 'cpuMsPerWrite' | 'writesPerSecondCpuBound'>> {
  const latencies: number[] = [];
  let conflicts = 0;
  let next = 0;
  const deadline = performance.now() + seconds * 1000;
  const writer = async () => {
    while (performance.now() < deadline) {
      const started = performance.now();
      conflicts += await write(next++);
      latencies.push(performance.now() - started);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: writers }, writer));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    writesPerSecond: Math.round(latencies.length / elapsed),
    writes: latencies.length,
    p50: round1(percentile(latencies, 50)),
    p99: round1(percentile(latencies, 99)),
    conflictsRetried: conflicts,
    loadAverage: os.loadavg().map(round1),
  };
}

const summary = (figures: LoadFigures) =>
  `${String(figures.writesPerSecond).padStart(6)} writes/s  p50 ${figures.p50.toFixed(1).padStart(6)} ms  ` +
  `p99 ${figures.p99.toFixed(1).padStart(6)} ms  CPU ms/write ${Object.entries(figures.cpuMsPerWrite)
    .map(([name, ms]) => `${name} ${ms.toFixed(2)}`)
    .join(' + ')} (≤ ${figures.writesPerSecondCpuBound}/s)  conflicts retried ${figures.conflictsRetried}  ` +
  `(load ${figures.loadAverage[0]})`;

/** A job and its status index entry in one transaction, on keys no other write touches. */
const recordWithIndex = (store: StateStore, run: string) => async (n: number) => {
  await store.transact([
    { operation: 'upsert', key: `${run}:job:${n}`, value: { id: n, status: 'OPEN' }, onlyIfAbsent: true },
    { operation: 'upsert', key: `${run}:jobs-by-status:OPEN:${n}`, value: { id: n } },
  ]);
  return 0;
};

/** One shared counter: read, write with the ETag, retry on a conflict. Returns the conflicts met. */
const sharedCounter = (store: StateStore, key: string) => async () => {
  for (let conflicts = 0; ; conflicts++) {
    const current = await store.get<number>(key);
    try {
      await store.save(key, (current?.value ?? 0) + 1, current ? { etag: current.etag } : { onlyIfAbsent: true });
      return conflicts;
    } catch (error) {
      if (!(error instanceof ConcurrencyConflictError)) throw error;
    }
  }
};

const loads = {
  'record + index': (store: StateStore, run: string) => recordWithIndex(store, run),
  'one counter, ETag + retry': (store: StateStore, run: string) => sharedCounter(store, `${run}:counter`),
};

async function main() {
  const dir = makeTempDir('bench-dapr-state');
  const stops: (() => Promise<void>)[] = [];
  try {
    const redis = await startRedis();
    stops.push(redis.stop);
    const postgresOn = await startPostgres({ synchronousCommit: 'on' });
    stops.push(postgresOn.stop);
    const postgresOff = await startPostgres({ synchronousCommit: 'off' });
    stops.push(postgresOff.stop);
    /** One daprd for app `appId`, with the state store (and lock store) of `resources`. */
    const sidecar = async (appId: string, resources: DaprResourceOptions, postgres?: string) => {
      const resourcesPath = writeDaprResources(path.join(dir, appId), { apps: [appId], ...resources });
      const daprd = await startDaprd({
        appId,
        resourcesPath,
        redisHost: redis.address,
        postgresConnectionString: postgres,
        readiness: 'outbound',
        logLevel: 'warn',
      });
      stops.unshift(daprd.stop);
      return { connection: new SidecarConnection({ daprHttpPort: daprd.httpPort }), pid: daprd.pid };
    };
    const stateOnly = (stateStore: DaprResourceOptions['stateStore']): DaprResourceOptions => ({
      components: ['stateStore'],
      stateStore,
    });
    const postgresStore = { type: 'postgresql' as const, maxConns: settings.postgresMaxConns };
    const onRedis = await sidecar('bench-redis', { components: ['stateStore', 'lockStore'] });
    const onPgSync = await sidecar('bench-pg-sync', stateOnly(postgresStore), postgresOn.connectionString);
    const onPgAsync = await sidecar('bench-pg-async', stateOnly(postgresStore), postgresOff.connectionString);
    const onSqlite = await sidecar(
      'bench-sqlite',
      stateOnly({ type: 'sqlite', databaseFile: path.join(dir, 'bench-sqlite.db') }),
    );
    const embedded = await PersistentStateStore.open(path.join(dir, 'embedded'));
    stops.unshift(() => embedded.close());

    const stores: { name: string; store: StateStore; processes: Record<string, number> }[] = [
      {
        name: 'state.redis + key locks (system)',
        store: new LockedStateStore(new DaprStateStore(onRedis.connection), new KeyLocks(onRedis.connection, logger)),
        processes: { daprd: onRedis.pid, redis: redis.pid },
      },
      {
        name: 'state.redis alone (not atomic)',
        store: new DaprStateStore(onRedis.connection),
        processes: { daprd: onRedis.pid, redis: redis.pid },
      },
      {
        name: 'state.postgresql, sync commit',
        store: new DaprStateStore(onPgSync.connection),
        processes: { daprd: onPgSync.pid, postgres: postgresOn.pid },
      },
      {
        name: 'state.postgresql, async commit',
        store: new DaprStateStore(onPgAsync.connection),
        processes: { daprd: onPgAsync.pid, postgres: postgresOff.pid },
      },
      { name: 'state.sqlite', store: new DaprStateStore(onSqlite.connection), processes: { daprd: onSqlite.pid } },
      { name: 'embedded journal (no sidecar)', store: embedded.store, processes: {} },
    ];
    const results: Record<string, Record<string, LoadFigures>> = {};
    console.log(
      `${writers} writers, ${seconds} s per run, one daprd per Dapr store (state.postgresql: ${settings.postgresMaxConns} ` +
        `connections); ${os.cpus().length} cores, node ${process.version}`,
    );
    for (const [load, make] of Object.entries(loads)) {
      console.log(`\n${load}`);
      results[load] = {};
      for (const { name, store, processes } of stores) {
        const run = `${load.split(' ')[0]}-${name.split(' ')[0]}-${Date.now()}`;
        const figures = await drive(make(store, run), processes);
        results[load][name] = figures;
        console.log(`  ${name.padEnd(34)} ${summary(figures)}`);
      }
    }
    mkdirSync(settings.resultsDir, { recursive: true });
    const file = path.join(settings.resultsDir, `${settings.name}.json`);
    const output = {
      name: settings.name,
      finishedAt: new Date().toISOString(),
      node: process.version,
      cores: os.cpus().length,
      settings: { seconds, writers, postgresMaxConns: settings.postgresMaxConns },
      loads: results,
    };
    writeFileSync(file, `${JSON.stringify(output, null, 2)}\n`);
    console.log(`\nwritten to ${path.relative(process.cwd(), file)}`);
  } finally {
    for (const stop of stops) await stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
