import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { measureHops, type Hop } from './lib/hops';
import { graphqlLoad, serialLatency, type LoadFigures, type LoadShape, type SerialFigures } from './lib/load';
import { CREATE_JOB, GET_JOB, JOB, USERNAME, graphql, parentWithJob } from './lib/sitter';
import {
  ROOT,
  cpuPerRequest,
  rssOf,
  startBare,
  startDapr,
  startEmbedded,
  type DaprTarget,
  type Target,
} from './lib/targets';

/**
 * `npm run bench`: the gateway's getJob and createJob on a bare yoga server (the gateway's schema over a Map), on the
 * one-process system (`npm start`, embedded runtime) and on the Dapr system (`npm run dev:dapr`: sidecars, Redis,
 * Kafka), one after the other in one run: throughput and p50/p99 saturated and at a fixed rate, one-connection
 * latency, RSS and CPU per request of every process, and the Dapr read path hop by hop. Prints a table and writes
 * bench/results/<BENCH_NAME>.json. Figures only: nothing here passes or fails.
 *
 * Settings (environment): BENCH_SECONDS (10 per load run), BENCH_CONNECTIONS (20), BENCH_RATE (200 req/s for the
 * fixed-rate run), BENCH_SERIAL_CALLS (500 one at a time, per hop), BENCH_TARGETS (bare,embedded,dapr),
 * BENCH_NAME (gateway-throughput), BENCH_RESULTS_DIR (bench/results).
 */
const env = process.env;
const settings = {
  seconds: Number(env.BENCH_SECONDS ?? 10),
  connections: Number(env.BENCH_CONNECTIONS ?? 20),
  rate: Number(env.BENCH_RATE ?? 200),
  serialCalls: Number(env.BENCH_SERIAL_CALLS ?? 500),
  targets: (env.BENCH_TARGETS ?? 'bare,embedded,dapr').split(',').map((name) => name.trim()),
  name: env.BENCH_NAME ?? 'gateway-throughput',
  resultsDir: env.BENCH_RESULTS_DIR ?? join(ROOT, 'bench', 'results'),
};

/** What one target measured. */
export interface TargetResult {
  getJob: { saturated: LoadFigures; fixedRate: LoadFigures; oneConnection: SerialFigures };
  /** CPU ms per getJob, per process, while saturated (the load generator's own CPU not counted). */
  cpuMsPerGetJob: Record<string, number>;
  /** The same at the fixed rate, where every target serves as many requests per second. */
  cpuMsPerGetJobAtFixedRate: Record<string, number>;
  createJob: { saturated: LoadFigures };
  /** MB per process: after start-up (and a first request), and after the load. */
  rssIdle: Record<string, number>;
  rssAfterLoad: Record<string, number>;
  loadAverage: number[];
}

export interface BenchResults {
  name: string;
  finishedAt: string;
  node: string;
  cores: number;
  settings: typeof settings;
  targets: Record<string, TargetResult>;
  /** The Dapr read path hop by hop (when the dapr target ran). */
  hops?: Hop[];
}

const starters: Record<string, () => Promise<Target>> = { bare: startBare, embedded: startEmbedded, dapr: startDapr };

const measure = async (name: string, results: BenchResults) => {
  const target = await starters[name]!();
  try {
    const { jobId, headers } = await parentWithJob(target);
    const rssIdle = await rssOf(target.pids());
    const read = { url: target.url, query: GET_JOB, variables: { id: jobId }, headers };
    const shape: LoadShape = { connections: settings.connections, seconds: settings.seconds };
    const readOnce = () => graphql(target.url, GET_JOB, { id: jobId }, headers).then(() => undefined);
    const oneConnection = await serialLatency(readOnce, settings.serialCalls);
    const { result: saturated, cpuMsPerRequest } = await cpuPerRequest(
      target.pids(),
      () => graphqlLoad(read, shape),
      (figures) => figures.total,
    );
    const { result: fixedRate, cpuMsPerRequest: cpuAtFixedRate } = await cpuPerRequest(
      target.pids(),
      () => graphqlLoad(read, { ...shape, rate: settings.rate }),
      (figures) => figures.total,
    );
    const write = { url: target.url, query: CREATE_JOB, variables: { job: JOB }, headers };
    const createJob = { saturated: await graphqlLoad(write, shape) };
    results.targets[name] = {
      getJob: { saturated, fixedRate, oneConnection },
      cpuMsPerGetJob: cpuMsPerRequest,
      cpuMsPerGetJobAtFixedRate: cpuAtFixedRate,
      createJob,
      rssIdle,
      rssAfterLoad: await rssOf(target.pids()),
      loadAverage: loadavg().map((each) => Math.round(each * 100) / 100),
    };
    if (name === 'dapr') {
      const { system } = target as DaprTarget;
      results.hops = await measureHops(system, { jobId, username: USERNAME, graphql: readOnce }, settings.serialCalls);
    }
  } finally {
    await target.stop();
  }
};

const pad = (value: unknown, width: number) => String(value).padStart(width);
const figures = (f: LoadFigures) =>
  `${pad(f.requestsPerSecond, 6)} req/s p50 ${pad(f.p50, 4)} p99 ${pad(f.p99, 4)}${f.failures ? ` (${f.failures} failed)` : ''}`;

const print = (results: BenchResults) => {
  const lines = [
    `${settings.connections} connections, ${settings.seconds} s per load run, fixed rate ${settings.rate} req/s; ` +
      `${results.cores} cores, node ${results.node}; latencies in ms`,
    '',
    `${'target'.padEnd(9)} ${'getJob saturated'.padEnd(34)} ${`getJob at ${settings.rate} req/s`.padEnd(34)} ${'getJob 1 conn'.padEnd(16)} createJob saturated`,
  ];
  for (const [name, r] of Object.entries(results.targets)) {
    lines.push(
      `${name.padEnd(9)} ${figures(r.getJob.saturated).padEnd(34)} ${figures(r.getJob.fixedRate).padEnd(34)} ` +
        `${`p50 ${r.getJob.oneConnection.p50}`.padEnd(16)} ${figures(r.createJob.saturated)}`,
    );
  }
  const { embedded, dapr, bare } = results.targets;
  const share = (a?: TargetResult, b?: TargetResult, pick = (r: TargetResult) => r.getJob.saturated) =>
    a && b ? `${Math.round((100 * pick(a).requestsPerSecond) / pick(b).requestsPerSecond)} %` : 'n/a';
  lines.push(
    '',
    `getJob throughput: dapr / embedded ${share(dapr, embedded)} (target >= 50 %), embedded / bare ${share(embedded, bare)} (target >= 80 %)`,
    `createJob throughput: embedded / bare ${share(embedded, bare, (r) => r.createJob.saturated)} (target >= 50 %)`,
    '',
    `per process: RSS (MB) after start-up / after the load; CPU ms per getJob saturated / at ${settings.rate} req/s`,
  );
  for (const [name, r] of Object.entries(results.targets)) {
    for (const [process, mb] of Object.entries(r.rssIdle)) {
      const rss = `${pad(mb, 6)} / ${pad(r.rssAfterLoad[process], 6)}`;
      const cpu = `${pad(r.cpuMsPerGetJob[process]?.toFixed(2), 6)} / ${pad(r.cpuMsPerGetJobAtFixedRate[process]?.toFixed(2), 6)}`;
      lines.push(`  ${name.padEnd(9)} ${process.padEnd(22)} ${rss}   ${cpu}`);
    }
    const sum = (cpu: Record<string, number>) =>
      Object.values(cpu)
        .reduce((total, ms) => total + (Number.isNaN(ms) ? 0 : ms), 0)
        .toFixed(2);
    const cpu = `${pad(sum(r.cpuMsPerGetJob), 6)} / ${pad(sum(r.cpuMsPerGetJobAtFixedRate), 6)}`;
    lines.push(`  ${name.padEnd(9)} ${'all'.padEnd(22)} ${''.padEnd(15)}   ${cpu}`);
  }
  if (results.hops) {
    lines.push('', `Dapr read path, one call at a time (${settings.serialCalls} calls each):`);
    let previous = 0;
    for (const hop of results.hops) {
      const added = hop.name === 'no-op on a sidecar' ? '' : ` (+${(hop.figures.p50 - previous).toFixed(2)})`;
      lines.push(
        `  ${hop.name.padEnd(22)} p50 ${pad(hop.figures.p50.toFixed(2), 6)}${added.padEnd(9)} p99 ${pad(hop.figures.p99.toFixed(2), 6)}  ${hop.path}`,
      );
      if (hop.name !== 'no-op on a sidecar') previous = hop.figures.p50;
    }
  }
  console.log(lines.join('\n'));
};

const main = async () => {
  const results: BenchResults = {
    name: settings.name,
    finishedAt: '',
    node: process.version,
    cores: cpus().length,
    settings,
    targets: {},
  };
  for (const name of settings.targets) {
    if (!starters[name]) throw new Error(`BENCH_TARGETS: unknown target ${name} (bare, embedded, dapr)`);
    await measure(name, results);
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
