/**
 * How the cost grows with the data: for each number of jobs (GROWTH_SIZES) and each runtime (embedded: `npm start`;
 * dapr: `npm run dev:dapr`), the system is started on a state that already holds that many OPEN jobs, and measured:
 * start-up time (process start until the gateway's /readyz answers), RSS after start-up and after the reads, getJob
 * one call at a time, and the first page of listJobsByStatus(OPEN), one call at a time. Prints a table and writes
 * bench/results/<GROWTH_NAME>.json. Figures only: nothing here passes or fails.
 *
 * Seeding. GraphQL is far too slow for a million jobs, so the jobs are created by the job service's own use case
 * (`createJob`, through `createJobDomain`: the job record, the jobs-by-status and jobs-near pages, the JOB_POSTED
 * event and its indexes, in one transaction each) against an in-memory embedded store, on a clock that steps
 * GROWTH_SPACING_SECONDS per job and ends now. What that store then holds is written out:
 * - embedded: through the runtime's own PersistentStateStore into `<dataDir>/state/job/` (its compaction writes the
 *   snapshot), which the system then replays on start-up, as it would after any restart;
 * - dapr: a fresh Dapr system is started, every record is saved through the job app's own sidecar (so under the
 *   job app's key prefix) with Dapr's bulk state save, GROWTH_DAPR_BATCH records per request, and the system is
 *   stopped and started again on the same data directory (PostgreSQL, dev:dapr's default state store, keeps its
 *   cluster there).
 * A Dapr size whose seeding would take longer than GROWTH_DAPR_BUDGET_SECONDS at the rate measured on a smaller size
 * is skipped, and the table says so with that rate.
 *
 * Every measured state is first checked: the newest seeded job must head the first page, and getJob must find
 * the sampled jobs OPEN.
 *
 * Settings (environment): GROWTH_SIZES (10000,100000,1000000), GROWTH_RUNTIMES (embedded,dapr), GROWTH_READS
 * (300 calls per read measure), GROWTH_SPACING_SECONDS (2), GROWTH_DAPR_BATCH (500), GROWTH_DAPR_BUDGET_SECONDS
 * (900), GROWTH_NAME (growth), GROWTH_RESULTS_DIR (bench/results).
 * Run: npx tsx bench/growth.ts   (Dapr needs the provisioned tools: npm run infra:provision)
 */
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AppIds, Components } from '@sitter/contracts';
import { loadOrCreateSigningKey, signDevToken } from '@sitter/dev-issuer';
import { PersistentStateStore } from '@sitter/embedded-runtime';
import { serialLatency, type SerialFigures } from './lib/load';
import { createJobs, type SeedFigures, type Seeded } from './lib/seed-jobs';
import { CREATE_USER, GET_JOB, USERNAME, graphql } from './lib/sitter';
import { ROOT, rssOf, startDapr, startEmbedded, type DaprTarget, type Target } from './lib/targets';

const env = process.env;
const list = (value: string) => value.split(',').map((each) => each.trim());
const settings = {
  sizes: list(env.GROWTH_SIZES ?? '10000,100000,1000000').map(Number),
  runtimes: list(env.GROWTH_RUNTIMES ?? 'embedded,dapr'),
  reads: Number(env.GROWTH_READS ?? 300),
  spacingSeconds: Number(env.GROWTH_SPACING_SECONDS ?? 2),
  daprBatch: Number(env.GROWTH_DAPR_BATCH ?? 500),
  daprBudgetSeconds: Number(env.GROWTH_DAPR_BUDGET_SECONDS ?? 900),
  name: env.GROWTH_NAME ?? 'growth',
  resultsDir: env.GROWTH_RESULTS_DIR ?? join(ROOT, 'bench', 'results'),
};

const LIST_OPEN = `query { listJobsByStatus(jobStatus: OPEN) { items { id status createdOn } cursor } }`;
/** listJobsByStatus's default page size (services/job/src/domain/validation.ts). */
const FIRST_PAGE = 20;
const BULK_SAVES_IN_FLIGHT = 4;

export interface Measured {
  /** Writing the seeded records where the runtime reads them. */
  writeSeconds: number;
  recordsPerSecond: number;
  /** The job app's snapshot (embedded) or PostgreSQL's cluster (dapr), MB. */
  dataMb: number;
  startupSeconds: number;
  rssAfterStart: Record<string, number>;
  rssAfterReads: Record<string, number>;
  getJob: SerialFigures;
  firstPage: SerialFigures;
  loadAverage: number[];
}

/** Measured; skipped (the Dapr seeding would not fit its budget); or failed, with why (e.g. the system did not start). */
export type RuntimeResult = Measured | { skipped: string } | { failed: string };

export interface GrowthResults {
  name: string;
  finishedAt: string;
  node: string;
  cores: number;
  settings: typeof settings;
  sizes: { jobs: number; seed: SeedFigures; runtimes: Record<string, RuntimeResult> }[];
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const progress = (line: string) => process.stderr.write(`[growth] ${line}\n`);

const seedJobs = (jobs: number) =>
  createJobs(jobs, { spacingSeconds: settings.spacingSeconds, samples: settings.reads, progress });

/** Every file under `path`, in MB. */
const sizeMb = async (path: string): Promise<number> => {
  let bytes = 0;
  for (const entry of await readdir(path, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) bytes += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return round(bytes / 1024 / 1024, 1);
};

/** The runtime's own store code writes the seeded records as the job app's snapshot. */
const writeEmbeddedDataDir = async (seeded: Seeded, dataDir: string) => {
  const directory = join(dataDir, 'state', AppIds.job);
  const persistent = await PersistentStateStore.open(directory);
  try {
    const { lastVersion, entries } = seeded.store.snapshot();
    for (const [key, entry] of entries) persistent.store.restore(key, entry.value, entry.version);
    persistent.store.restoreLastVersion(lastVersion);
    await persistent.compact();
  } finally {
    await persistent.close();
  }
  return directory;
};

/** Dapr's bulk state save through the job app's sidecar: the records land under the job app's key prefix. */
const saveThroughSidecar = async (seeded: Seeded, httpPort: number) => {
  const { entries } = seeded.store.snapshot();
  let next = 0;
  const saver = async () => {
    while (next < entries.length) {
      const batch = entries.slice(next, next + settings.daprBatch);
      next += batch.length;
      const response = await fetch(`http://127.0.0.1:${httpPort}/v1.0/state/${Components.stateStore}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(batch.map(([key, entry]) => ({ key, value: entry.value }))),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`bulk save answered ${response.status}: ${text}`);
    }
  };
  await Promise.all(Array.from({ length: BULK_SAVES_IN_FLIGHT }, saver));
};

const waitUntilReady = async (graphqlUrl: string) => {
  const readyz = graphqlUrl.replace(/\/graphql$/, '/readyz');
  for (;;) {
    try {
      const response = await fetch(readyz);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** The checks that the state was seeded as the service would have written it, then the read figures. */
const measureReads = async (target: Target, seeded: Seeded) => {
  const key = await loadOrCreateSigningKey(target.dataDir!);
  const headers = {
    authorization: `Bearer ${signDevToken(key, { sub: USERNAME, roles: ['PARENT'], expiresIn: '2h' })}`,
  };
  const user = { username: USERNAME, email: 'bench@example.com', type: 'PARENT', firstName: 'Bench', lastName: 'Mark' };
  await graphql(target.url, CREATE_USER, { user }, headers);
  const page = (await graphql(target.url, LIST_OPEN, {}, headers)) as unknown as {
    listJobsByStatus: { items: { id: string; status: string }[]; cursor: string | null };
  };
  const items = page.listJobsByStatus.items;
  if (items.length !== Math.min(FIRST_PAGE, seeded.jobs) || items[0]?.id !== seeded.newestId)
    throw new Error(`the first page of OPEN jobs is not the seeded one: ${JSON.stringify(page)}`);
  let next = 0;
  const getJob = async () => {
    const id = seeded.sampleIds[next++ % seeded.sampleIds.length]!;
    const job = (await graphql(target.url, GET_JOB, { id }, headers)).getJob as unknown as { status: string };
    if (job.status !== 'OPEN') throw new Error(`job ${id} is ${job.status}`);
  };
  const firstPage = () => graphql(target.url, LIST_OPEN, {}, headers).then(() => undefined);
  return {
    getJob: await serialLatency(getJob, settings.reads),
    firstPage: await serialLatency(firstPage, settings.reads),
  };
};

const measureStarted = async (
  start: () => Promise<Target>,
  seeded: Seeded,
  write: { seconds: number; records: number; dataMb: number },
): Promise<Measured> => {
  const started = performance.now();
  const target = await start();
  try {
    await waitUntilReady(target.url);
    const startupSeconds = round((performance.now() - started) / 1000);
    const rssAfterStart = await rssOf(target.pids());
    const reads = await measureReads(target, seeded);
    return {
      writeSeconds: round(write.seconds),
      recordsPerSecond: Math.round(write.records / write.seconds),
      dataMb: write.dataMb,
      startupSeconds,
      rssAfterStart,
      rssAfterReads: await rssOf(target.pids()),
      ...reads,
      loadAverage: loadavg().map((each) => round(each)),
    };
  } finally {
    await target.stop();
  }
};

const measureEmbedded = async (seeded: Seeded, records: number): Promise<Measured> => {
  const dataDir = await mkdtemp(join(tmpdir(), 'sitter-growth-embedded-'));
  try {
    const written = performance.now();
    const directory = await writeEmbeddedDataDir(seeded, dataDir);
    const seconds = (performance.now() - written) / 1000;
    const dataMb = await sizeMb(directory);
    progress(`embedded: snapshot of ${records} records written in ${round(seconds)} s (${dataMb} MB); starting`);
    return await measureStarted(() => startEmbedded({}, dataDir), seeded, { seconds, records, dataMb });
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
};

const measureDapr = async (seeded: Seeded, records: number): Promise<Measured> => {
  const dataDir = await mkdtemp(join(tmpdir(), 'sitter-growth-dapr-'));
  try {
    const seeding: DaprTarget = await startDapr(dataDir);
    let seconds: number;
    try {
      const job = seeding.system.apps.find((app) => app.appId === AppIds.job)!;
      progress(`dapr: saving ${records} records through the job sidecar`);
      const written = performance.now();
      await saveThroughSidecar(seeded, job.sidecar.httpPort);
      seconds = (performance.now() - written) / 1000;
    } finally {
      await seeding.stop();
    }
    const dataMb = await sizeMb(join(dataDir, 'dapr', 'postgres'));
    progress(`dapr: ${records} records saved in ${round(seconds)} s (${dataMb} MB of PostgreSQL files); restarting`);
    return await measureStarted(() => startDapr(dataDir), seeded, { seconds, records, dataMb });
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
};

const measurers: Record<string, (seeded: Seeded, records: number) => Promise<Measured>> = {
  embedded: measureEmbedded,
  dapr: measureDapr,
};

/** The error's first line and, for a process that exited, the last lines it wrote (where it says why). */
const failure = (error: unknown): string => {
  const lines = (error instanceof Error ? error.message : String(error))
    .trim()
    .split('\n')
    .filter((line) => line.trim() !== '' && !/TimeoutNegativeWarning|Timeout duration|--trace-warnings/.test(line));
  return [lines[0], ...lines.slice(1).slice(-2)].join(' | ').slice(0, 600);
};

const pad = (value: unknown, width: number) => String(value).padStart(width);
const sum = (rss: Record<string, number>) =>
  round(
    Object.values(rss).reduce((total, mb) => total + mb, 0),
    1,
  );

const print = (results: GrowthResults) => {
  const lines = [
    `${results.cores} cores, node ${results.node}; jobs created ${settings.spacingSeconds} s apart; ` +
      `${settings.reads} calls per read figure, one at a time; latencies in ms, RSS in MB`,
    '',
    `${'jobs'.padStart(8)} ${'runtime'.padEnd(9)} ${'records'.padStart(8)} ${'write s'.padStart(8)} ${'data MB'.padStart(8)} ` +
      `${'start s'.padStart(8)} ${'RSS'.padStart(8)} ${'(job)'.padStart(8)} ${'getJob p50/p99'.padStart(16)} ${'1st page p50/p99'.padStart(18)}`,
  ];
  for (const size of results.sizes) {
    for (const [runtime, result] of Object.entries(size.runtimes)) {
      const head = `${pad(size.jobs, 8)} ${runtime.padEnd(9)} ${pad(size.seed.records, 8)}`;
      if ('skipped' in result || 'failed' in result) {
        lines.push(`${head} ${'skipped' in result ? `skipped: ${result.skipped}` : `failed: ${result.failed}`}`);
        continue;
      }
      // The process holding the job state: the one system process, or PostgreSQL's main process.
      const holder = result.rssAfterStart.system ?? result.rssAfterStart.postgres;
      lines.push(
        `${head} ${pad(result.writeSeconds, 8)} ${pad(result.dataMb, 8)} ${pad(result.startupSeconds, 8)} ` +
          `${pad(sum(result.rssAfterStart), 8)} ${pad(holder, 8)} ` +
          `${pad(`${result.getJob.p50} / ${result.getJob.p99}`, 16)} ${pad(`${result.firstPage.p50} / ${result.firstPage.p99}`, 18)}`,
      );
    }
  }
  lines.push(
    '',
    'records: state keys the jobs came to; write s: writing them where the runtime reads them (embedded: the ' +
      'snapshot; dapr: bulk saves through the job sidecar); start s: process start until /readyz; RSS: every ' +
      'process after start-up (dapr: PostgreSQL, Redis, Kafka, every app and daprd); (job): the process holding the ' +
      "job state (embedded: the system; dapr: PostgreSQL's main process, its backends not counted)",
    'seeding (createJob in memory): ' +
      results.sizes.map((size) => `${size.jobs} in ${size.seed.createSeconds} s`).join(', '),
  );
  console.log(lines.join('\n'));
};

const main = async () => {
  const results: GrowthResults = {
    name: settings.name,
    finishedAt: '',
    node: process.version,
    cores: cpus().length,
    settings,
    sizes: [],
  };
  for (const runtime of settings.runtimes)
    if (!measurers[runtime]) throw new Error(`GROWTH_RUNTIMES: unknown runtime ${runtime} (embedded, dapr)`);
  /** Records per second of the last Dapr seeding, to tell whether the next one fits the budget. */
  let daprRate: number | undefined;
  for (const jobs of settings.sizes) {
    progress(`seeding ${jobs} jobs`);
    const { seeded, figures } = await seedJobs(jobs);
    progress(`${jobs} jobs created in ${figures.createSeconds} s: ${figures.records} records`);
    const runtimes: Record<string, RuntimeResult> = {};
    for (const runtime of settings.runtimes) {
      const estimate = daprRate === undefined ? 0 : figures.records / daprRate;
      if (runtime === 'dapr' && estimate > settings.daprBudgetSeconds) {
        runtimes[runtime] = {
          skipped:
            `saving ${figures.records} records at the ${daprRate} records/s measured would take ` +
            `${Math.round(estimate / 60)} min (budget ${Math.round(settings.daprBudgetSeconds / 60)} min)`,
        };
        progress(`dapr: ${(runtimes[runtime] as { skipped: string }).skipped}`);
        continue;
      }
      try {
        const measured = await measurers[runtime]!(seeded, figures.records);
        runtimes[runtime] = measured;
        if (runtime === 'dapr') daprRate = measured.recordsPerSecond;
      } catch (error) {
        runtimes[runtime] = { failed: failure(error) };
        progress(`${runtime}: failed: ${failure(error)}`);
      }
    }
    results.sizes.push({ jobs, seed: figures, runtimes });
  }
  results.finishedAt = new Date().toISOString();
  print(results);
  await mkdir(settings.resultsDir, { recursive: true });
  const file = join(settings.resultsDir, `${settings.name}.json`);
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwritten to ${file}`);
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
