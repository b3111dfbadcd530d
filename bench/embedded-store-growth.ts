/**
 * The embedded job store as it grows, today's against the SQLite prototype: for each number of jobs
 * (STORE_GROWTH_SIZES), the jobs are created with the job service's createJob (bench/lib/seed-jobs.ts), written
 * once as the runtime's file-backed store (PersistentStateStore: snapshot) and once as a SqliteStateStore file,
 * and each is opened in a fresh process (bench/lib/open-store.ts) that reports the open time, its RSS, and getJob
 * and the first page of OPEN jobs through the job service's own use cases (no HTTP, no gateway). Prints a table
 * and writes bench/results/<STORE_GROWTH_NAME>.json. Figures only.
 *
 * Settings (environment): STORE_GROWTH_SIZES (10000,100000), STORE_GROWTH_READS (300), STORE_GROWTH_SPACING_SECONDS
 * (2), STORE_GROWTH_NAME (embedded-store-growth), STORE_GROWTH_RESULTS_DIR (bench/results).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { PersistentStateStore, SqliteStateStore } from '@sitter/embedded-runtime';
import type { SerialFigures } from './lib/load';
import { createJobs, type Seeded } from './lib/seed-jobs';
import { ROOT } from './lib/targets';

const env = process.env;
const settings = {
  sizes: (env.STORE_GROWTH_SIZES ?? '10000,100000').split(',').map(Number),
  reads: Number(env.STORE_GROWTH_READS ?? 300),
  spacingSeconds: Number(env.STORE_GROWTH_SPACING_SECONDS ?? 2),
  name: env.STORE_GROWTH_NAME ?? 'embedded-store-growth',
  resultsDir: env.STORE_GROWTH_RESULTS_DIR ?? join(ROOT, 'bench', 'results'),
};
const KINDS = ['file-backed', 'sqlite'] as const;

export type StoreFigures = Measured | { writeSeconds: number; dataMb: number; failed: string };

interface Measured {
  writeSeconds: number;
  dataMb: number;
  openMs: number;
  rssBeforeMb: number;
  rssAfterOpenMb: number;
  rssAfterReadsMb: number;
  getJob: SerialFigures;
  firstPage: SerialFigures;
}

const run = promisify(execFile);
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const progress = (line: string) => process.stderr.write(`[store-growth] ${line}\n`);

const sizeMb = async (path: string): Promise<number> => {
  let bytes = 0;
  for (const entry of await readdir(path, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) bytes += (await stat(join(entry.parentPath, entry.name))).size;
  return round(bytes / 1024 / 1024, 1);
};

/** Writes the seeded records as `kind` under `directory`; returns what the child opens. */
const write = async (kind: (typeof KINDS)[number], seeded: Seeded, directory: string): Promise<string> => {
  const { lastVersion, entries } = seeded.store.snapshot();
  if (kind === 'sqlite') {
    const path = join(directory, 'state.db');
    const store = SqliteStateStore.open(path);
    store.restoreAll(entries, lastVersion);
    store.close();
    return path;
  }
  const persistent = await PersistentStateStore.open(directory);
  for (const [key, entry] of entries) persistent.store.restore(key, entry.value, entry.version);
  persistent.store.restoreLastVersion(lastVersion);
  await persistent.compact();
  await persistent.close();
  return directory;
};

const measure = async (kind: (typeof KINDS)[number], seeded: Seeded, idsFile: string): Promise<StoreFigures> => {
  const directory = await mkdtemp(join(tmpdir(), `sitter-store-growth-${kind}-`));
  try {
    const started = performance.now();
    const path = await write(kind, seeded, directory);
    const writeSeconds = round((performance.now() - started) / 1000);
    const dataMb = await sizeMb(directory);
    const opened = await run(
      process.execPath,
      ['--require', 'tsx/cjs', 'bench/lib/open-store.ts', kind, path, idsFile, String(settings.reads)],
      { cwd: ROOT, maxBuffer: 1024 * 1024, env: { ...process.env, NODE_NO_WARNINGS: '1' } },
    ).catch((error: { stderr?: string }) => {
      // The store could not be opened (e.g. a snapshot too large to read): say why instead of ending the run.
      const why = (error.stderr ?? String(error)).trim().split('\n').filter(Boolean);
      return { failed: why.slice(0, 2).join(' | ').slice(0, 400) };
    });
    if ('failed' in opened) return { writeSeconds, dataMb, failed: opened.failed };
    const figures = JSON.parse(opened.stdout.trim().split('\n').pop()!) as Omit<Measured, 'writeSeconds' | 'dataMb'>;
    return { writeSeconds, dataMb, ...figures };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
};

const main = async () => {
  const sizes: { jobs: number; records: number; stores: Record<string, StoreFigures> }[] = [];
  const work = await mkdtemp(join(tmpdir(), 'sitter-store-growth-'));
  try {
    for (const jobs of settings.sizes) {
      progress(`seeding ${jobs} jobs`);
      const { seeded, figures } = await createJobs(jobs, {
        spacingSeconds: settings.spacingSeconds,
        samples: settings.reads,
      });
      const idsFile = join(work, 'ids.json');
      await writeFile(idsFile, JSON.stringify(seeded.sampleIds));
      const stores: Record<string, StoreFigures> = {};
      for (const kind of KINDS) {
        progress(`${jobs} jobs (${figures.records} records): ${kind}`);
        stores[kind] = await measure(kind, seeded, idsFile);
      }
      sizes.push({ jobs, records: figures.records, stores });
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const lines = [
    `${cpus().length} cores, node ${process.version}, load average ${loadavg()
      .map((each) => round(each))
      .join(' ')}; ` +
      `${settings.reads} calls per read figure, one at a time, through the job service's use cases; ms and MB`,
    '',
    `${'jobs'.padStart(8)} ${'store'.padEnd(12)} ${'write s'.padStart(8)} ${'data MB'.padStart(8)} ${'open ms'.padStart(8)} ` +
      `${'RSS open'.padStart(9)} ${'RSS reads'.padStart(9)} ${'getJob p50/p99'.padStart(16)} ${'1st page p50/p99'.padStart(18)}`,
  ];
  for (const size of sizes) {
    for (const [kind, f] of Object.entries(size.stores)) {
      const head = `${String(size.jobs).padStart(8)} ${kind.padEnd(12)} ${String(f.writeSeconds).padStart(8)} ${String(f.dataMb).padStart(8)}`;
      if ('failed' in f) {
        lines.push(`${head} failed to open: ${f.failed}`);
        continue;
      }
      lines.push(
        `${String(size.jobs).padStart(8)} ${kind.padEnd(12)} ${String(f.writeSeconds).padStart(8)} ${String(f.dataMb).padStart(8)} ` +
          `${String(f.openMs).padStart(8)} ${String(f.rssAfterOpenMb).padStart(9)} ${String(f.rssAfterReadsMb).padStart(9)} ` +
          `${`${f.getJob.p50} / ${f.getJob.p99}`.padStart(16)} ${`${f.firstPage.p50} / ${f.firstPage.p99}`.padStart(18)}`,
      );
    }
  }
  console.log(lines.join('\n'));
  await mkdir(settings.resultsDir, { recursive: true });
  const file = join(settings.resultsDir, `${settings.name}.json`);
  const results = { name: settings.name, finishedAt: new Date().toISOString(), node: process.version, settings, sizes };
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwritten to ${file}`);
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
