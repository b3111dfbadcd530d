/**
 * Child process of bench/embedded-store-growth.ts: opens one embedded job store (kind `file-backed`: the
 * runtime's snapshot + journal directory; kind `sqlite`: the SqliteStateStore prototype's file), then reads it
 * through the job service's own getJob and listJobs, and prints one JSON line of figures.
 * Run: npx tsx bench/lib/open-store.ts <kind> <path> <sample ids file> <reads>
 */
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { PersistentStateStore, SqliteStateStore } from '@sitter/embedded-runtime';
import { createJobDomain, getJob, listJobs } from '@sitter/job-service';
import type { StateStore } from '@sitter/ports';
import { serialLatency } from './load';

const [kind, path, idsFile, reads] = process.argv.slice(2) as [string, string, string, string];

const open = async (): Promise<{ store: StateStore; close: () => Promise<void> }> => {
  if (kind === 'sqlite') {
    const store = SqliteStateStore.open(path);
    return { store, close: async () => store.close() };
  }
  const persistent = await PersistentStateStore.open(path);
  return { store: persistent.store, close: () => persistent.close() };
};

const main = async () => {
  const ids = JSON.parse(await readFile(idsFile, 'utf8')) as string[];
  const rssBeforeMb = process.memoryUsage().rss / 1024 / 1024;
  const started = performance.now();
  const { store, close } = await open();
  const openMs = performance.now() - started;
  const rssAfterOpenMb = process.memoryUsage().rss / 1024 / 1024;
  const domain = createJobDomain({ store, accounts: { statusOf: () => Promise.resolve('ACTIVE') } });
  let next = 0;
  const getJobFigures = await serialLatency(async () => {
    const job = await getJob(domain, ids[next++ % ids.length]!);
    if (job.status !== 'OPEN') throw new Error(`job ${job.id} is ${job.status}`);
  }, Number(reads));
  const firstPage = await serialLatency(async () => {
    const page = await listJobs(domain, { status: 'OPEN' });
    if (page.items.length === 0) throw new Error('no OPEN jobs');
  }, Number(reads));
  const rssAfterReadsMb = process.memoryUsage().rss / 1024 / 1024;
  await close();
  const mb = (value: number) => Math.round(value * 10) / 10;
  console.log(
    JSON.stringify({
      openMs: Math.round(openMs),
      rssBeforeMb: mb(rssBeforeMb),
      rssAfterOpenMb: mb(rssAfterOpenMb),
      rssAfterReadsMb: mb(rssAfterReadsMb),
      getJob: getJobFigures,
      firstPage,
    }),
  );
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
