/**
 * Embedded state store throughput: N saves from concurrent writers, in memory and on disk.
 * Prints figures only. Run: npx tsx bench/embedded-state-store.ts [saves] [writers] [keys]
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { StateStore } from '@sitter/ports';
import { EmbeddedStateStore, PersistentStateStore, SqliteStateStore } from '@sitter/embedded-runtime';

const [saves, writers, keys] = [20_000, 50, 2_000].map((fallback, index) =>
  Number(process.argv[2 + index] ?? fallback),
);

interface Result {
  name: string;
  writesPerSecond: number;
  p50: number;
  p99: number;
  extra: string;
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

const sampleValue = (n: number) => ({
  id: `job-${n}`,
  title: 'Evening babysitting, two children',
  description: 'Pick-up from school at 17:00, dinner, homework, bed by 20:30.',
  ratePerHour: 18 + (n % 7),
  status: 'OPEN',
  owner: `parent-${n % 97}`,
  createdAt: new Date(1_700_000_000_000 + n).toISOString(),
});

/** `writers` loops share one counter of saves, each timing its own writes. */
const drive = async (store: StateStore): Promise<{ elapsedMs: number; latencies: number[] }> => {
  const latencies: number[] = [];
  let next = 0;
  const writer = async () => {
    while (next < saves) {
      const n = next++;
      const started = performance.now();
      await store.save(`job:${n % keys}`, sampleValue(n));
      latencies.push(performance.now() - started);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: writers }, writer));
  return { elapsedMs: performance.now() - started, latencies: latencies.sort((a, b) => a - b) };
};

const sizeOf = async (directory: string) => {
  let journal = 0;
  let snapshot = 0;
  for (const name of await readdir(directory)) {
    const { size } = await stat(join(directory, name));
    if (name.startsWith('journal-')) journal += size;
    if (name === 'snapshot.jsonl') snapshot += size;
  }
  return { journal, snapshot };
};

const summarise = (name: string, elapsedMs: number, latencies: number[], extra = ''): Result => ({
  name,
  writesPerSecond: Math.round((saves / elapsedMs) * 1000),
  p50: percentile(latencies, 50),
  p99: percentile(latencies, 99),
  extra,
});

const inMemory = async (): Promise<Result> => {
  const { elapsedMs, latencies } = await drive(new EmbeddedStateStore());
  return summarise('in memory', elapsedMs, latencies);
};

const onDisk = async (name: string, fsync: boolean): Promise<Result> => {
  const directory = await mkdtemp(join(tmpdir(), 'sitter-bench-'));
  try {
    const persistent = await PersistentStateStore.open(directory, { fsync });
    const { elapsedMs, latencies } = await drive(persistent.store);
    const { batches, compactions } = persistent.stats();
    await persistent.close();
    const reopenStarted = performance.now();
    const reopened = await PersistentStateStore.open(directory);
    const reopenMs = performance.now() - reopenStarted;
    await reopened.close();
    const { journal, snapshot } = await sizeOf(directory);
    const extra =
      `journal ${kib(journal)} + snapshot ${kib(snapshot)}; ${batches} appends ` +
      `(${(saves / batches).toFixed(1)} lines each); ${compactions} compaction(s); reopen ${reopenMs.toFixed(0)} ms`;
    return summarise(name, elapsedMs, latencies, extra);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
};

/** The SQLite prototype (not used by the runtime): one SQLite transaction per save, WAL journal. */
const onSqlite = async (name: string, fsync: boolean): Promise<Result> => {
  const directory = await mkdtemp(join(tmpdir(), 'sitter-bench-'));
  try {
    const store = SqliteStateStore.open(join(directory, 'state.db'), { fsync });
    const { elapsedMs, latencies } = await drive(store);
    store.close();
    const reopenStarted = performance.now();
    SqliteStateStore.open(join(directory, 'state.db')).close();
    const reopenMs = performance.now() - reopenStarted;
    const { size } = await stat(join(directory, 'state.db'));
    return summarise(name, elapsedMs, latencies, `file ${kib(size)}; reopen ${reopenMs.toFixed(0)} ms`);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
};

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

const main = async () => {
  console.log(`${saves} saves, ${writers} concurrent writers, ${keys} distinct keys (node ${process.version})\n`);
  const results = [
    await inMemory(),
    await onDisk('file-backed', false),
    await onDisk('file-backed, fsync', true),
    await onSqlite('sqlite (prototype)', false),
    await onSqlite('sqlite, fsync', true),
  ];
  for (const result of results) {
    console.log(
      `${result.name.padEnd(20)} ${String(result.writesPerSecond).padStart(8)} writes/s   ` +
        `p50 ${result.p50.toFixed(3)} ms   p99 ${result.p99.toFixed(3)} ms`,
    );
    if (result.extra) console.log(`${''.padEnd(20)} ${result.extra}`);
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
