/**
 * What the key locks cost on Dapr: the same writes through daprd on state.redis with LockedStateStore (the
 * system's), on state.redis alone (not all-or-nothing, for comparison), and on state.sqlite with its own
 * transactions. Two loads: a record and its index written together on fresh keys (no contention), and writers
 * incrementing one counter with ETags and retrying on conflicts (contention). Prints figures only.
 * Needs the provisioned tools (npm run infra:provision). Run: npx tsx bench/dapr-state-writes.ts [seconds] [writers]
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ConcurrencyConflictError, type StateStore } from '@sitter/ports';
import { createLogger } from '@sitter/platform';
import { DaprStateStore, KeyLocks, LockedStateStore, SidecarConnection } from '@sitter/dapr-runtime';
import {
  makeTempDir,
  startDaprd,
  startRedis,
  writeDaprResources,
  type Daprd,
  type RedisServer,
} from '@sitter/infra-harness';

const [seconds, writers] = [5, 8].map((fallback, index) => Number(process.argv[2 + index] ?? fallback));
const logger = createLogger('bench', 'silent');

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** `writers` loops run `write` until the time is up; each write is timed. */
async function drive(write: (n: number) => Promise<number>): Promise<string> {
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
  const rate = Math.round(latencies.length / elapsed);
  const p50 = percentile(latencies, 50).toFixed(1);
  const p99 = percentile(latencies, 99).toFixed(1);
  return `${String(rate).padStart(6)} writes/s  p50 ${p50.padStart(6)} ms  p99 ${p99.padStart(6)} ms  conflicts retried ${conflicts}`;
}

/** A job and its status index entry, on keys no other write touches. */
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

async function main() {
  const dir = makeTempDir('bench-dapr-state');
  const stops: (() => Promise<void>)[] = [];
  try {
    const redis: RedisServer = await startRedis();
    stops.push(redis.stop);
    const start = async (appId: string, backend: 'redis' | 'sqlite'): Promise<SidecarConnection> => {
      const resourcesPath = writeDaprResources(path.join(dir, appId), {
        apps: [appId],
        ...(backend === 'redis'
          ? { components: ['stateStore', 'lockStore'] }
          : {
              components: ['stateStore'],
              stateStore: { type: 'sqlite', databaseFile: path.join(dir, `${appId}.db`) },
            }),
      });
      const sidecar: Daprd = await startDaprd({
        appId,
        resourcesPath,
        redisHost: redis.address,
        readiness: 'outbound',
        logLevel: 'warn',
      });
      stops.unshift(sidecar.stop);
      return new SidecarConnection({ daprHttpPort: sidecar.httpPort });
    };
    const onRedis = await start('bench-redis', 'redis');
    const onSqlite = await start('bench-sqlite', 'sqlite');
    const stores: [string, StateStore][] = [
      [
        'state.redis + key locks (system)',
        new LockedStateStore(new DaprStateStore(onRedis), new KeyLocks(onRedis, logger)),
      ],
      ['state.redis alone (not atomic)  ', new DaprStateStore(onRedis)],
      ['state.sqlite, own transactions  ', new DaprStateStore(onSqlite)],
    ];
    console.log(`${writers} writers, ${seconds} s per run, one daprd per store, Redis ${redis.address}`);
    for (const [load, make] of [
      ['record + index, fresh keys', (store: StateStore, run: string) => recordWithIndex(store, run)],
      ['one counter, ETag + retry ', (store: StateStore, run: string) => sharedCounter(store, `${run}:counter`)],
    ] as const) {
      console.log(`\n${load}`);
      for (const [name, store] of stores) {
        const run = `${load.split(' ')[0]}-${name.split(' ')[0]}-${Date.now()}`;
        console.log(`  ${name}  ${await drive(make(store, run))}`);
      }
    }
  } finally {
    for (const stop of stops) await stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
