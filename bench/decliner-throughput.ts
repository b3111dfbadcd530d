import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { Admin } from 'kafkajs';
import { AppIds, Topics } from '@sitter/contracts';
import { createTopics, describeTopics, freePort, launch, type ManagedProcess } from '@sitter/infra-harness';
import { bundleEntries } from '@sitter/system/dapr';
import { sidecarDecliner, startBareConsumer, type Answers } from './lib/bare-consumer';
import {
  benchKafka,
  groupLag,
  declineRequestOf,
  inParallel,
  produceDeclines,
  seedApplications,
  watchDrain,
  type Application,
  type Drain,
} from './lib/declines';
import { nowMicros, profilePid, summarise, type Profile, type ProfileSummary } from './lib/profile';
import { CREATE_JOB, JOB, graphql, parentWithJob } from './lib/sitter';
import { ROOT, cpuPerRequest, startDapr, type DaprTarget } from './lib/targets';

/**
 * Issue 16, target 4: how fast the decliner works off a Kafka backlog on the Dapr system. Starts the Dapr system
 * (`npm run dev:dapr`), creates jobs through the gateway and `--per-job` PENDING applications for each in the job
 * service's state, stops the system's decliner, writes `--requests` decline requests to job-applications.declines
 * (keyed and partitioned as the platform writes them), starts the decliner again (its bundle, next to its own
 * sidecar) and times it until its group's lag is 0. Then a burst of `--burst` requests while it runs (how long the
 * lag takes to recover), and the same backlog on a topic of its own for a bare kafkajs consumer that only makes the
 * decliner's HTTP call, through the same sidecar. Prints the figures side by side and writes
 * bench/results/<name>.json. Figures only: nothing here passes or fails.
 *
 * npx tsx bench/decliner-throughput.ts [--requests 100000] [--per-job 50] [--burst 10000] [--profile]
 *   [--name decliner-throughput] [--results-dir bench/results]
 * KAFKA_PARTITIONS_CONCURRENTLY (3, the decliner's default) is passed to the decliner and used by the bare consumer.
 */
const { values: flags } = parseArgs({
  options: {
    requests: { type: 'string', default: '100000' },
    'per-job': { type: 'string', default: '50' },
    burst: { type: 'string' },
    profile: { type: 'boolean', default: false },
    name: { type: 'string', default: 'decliner-throughput' },
    'results-dir': { type: 'string', default: join(ROOT, 'bench', 'results') },
  },
});
const requests = Number(flags.requests);
const settings = {
  requests,
  perJob: Number(flags['per-job']),
  burst: Number(flags.burst ?? Math.max(10, Math.min(10_000, Math.round(requests / 10)))),
  /** Declines for the ceiling run (runCeiling). */
  ceilingRequests: Math.min(requests, 20_000),
  partitionsConcurrently: Number(process.env.KAFKA_PARTITIONS_CONCURRENTLY ?? 3),
  profile: flags.profile,
  name: flags.name,
};
/** No drain may take longer than this: 100,000 at 20/s. */
const DRAIN_TIMEOUT_MS = Math.max(120_000, requests * 50);
const DECLINER_GROUP = 'decliner';
const CEILING_IN_FLIGHT = 32;
const DECLINER_ENTRY = 'services/decliner/src/main.ts';

/** One consumer working off a backlog. */
export interface DrainResult {
  requests: number;
  /** Seconds from the consumer's start to its first progress (start-up and joining the group). */
  startupSeconds: number;
  /** Seconds from the first progress until all is handled: the decliner's lag 0, the bare consumer's own count. */
  drainSeconds: number;
  /** requests / drainSeconds. */
  declinesPerSecond: number;
  /** The rate over each quarter of the backlog (Drain.quarterRates). */
  quarterRates: number[];
  /** requests / (startupSeconds + drainSeconds). */
  declinesPerSecondWithStartup: number;
  /** CPU ms per request of every process of the system (and the bench's own, which runs the bare consumer). */
  cpuMsPerDecline: Record<string, number>;
}

export interface DeclinerResults {
  name: string;
  finishedAt: string;
  node: string;
  cores: number;
  settings: typeof settings;
  /** `uptime` before the measurements and after them. */
  uptime: { before: string; after: string };
  setup: { jobs: number; applications: number; seedSeconds: number; produceSeconds: number };
  decliner: DrainResult & { applicationsDeclined: number };
  bare: DrainResult & { answers: Answers };
  /** The job service's calls alone, many at a time, no Kafka (runCeiling). */
  ceiling: Awaited<ReturnType<typeof runCeiling>>;
  burst: {
    requests: number;
    produceSeconds: number;
    /** The most messages the decliner was behind while the burst was written and worked off. */
    peakLag: number;
    /** Seconds from the burst's first write until the lag was 0 again. */
    recoverySeconds: number;
    applicationsDeclined: number;
  };
  /** With --profile: the decliner's and the job app's CPU while the decliner worked off the backlog. */
  profile?: { dir: string; apps: Record<string, ProfileSummary> };
}

const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

const createJobs = async (target: DaprTarget, count: number) => {
  const { headers } = await parentWithJob(target);
  const ids: string[] = [];
  await inParallel(
    Array.from({ length: count }, (_, i) => i),
    8,
    async () => {
      ids.push((await graphql(target.url, CREATE_JOB, { job: JOB }, headers)).createJob.id);
    },
  );
  return ids;
};

/** The decliner as the launcher runs it (its bundle, next to its sidecar), optionally under --cpu-prof. */
const startDecliner = async (target: DaprTarget, bundle: string, logDir: string, profileDir?: string) => {
  const app = target.system.apps.find((each) => each.appId === AppIds.decliner)!;
  const port = await freePort();
  const proc = launch(
    'decliner',
    process.execPath,
    [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), bundle],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        KAFKA_BROKERS: target.system.kafka.brokers,
        DAPR_HTTP_PORT: String(app.sidecar.httpPort),
        PORT: String(port),
        LOG_LEVEL: 'info',
        KAFKA_PARTITIONS_CONCURRENTLY: String(settings.partitionsConcurrently),
      },
      logFile: join(logDir, 'decliner.log'),
    },
  );
  return { proc, metricsUrl: `http://127.0.0.1:${port}/metrics` };
};

const declinedSoFar = async (metricsUrl: string): Promise<number> => {
  const text = await (await fetch(metricsUrl)).text();
  return Number(/^decliner_applications_declined_total\s+(\d+)/m.exec(text)?.[1] ?? 0);
};

/** Times `drain` and the CPU every process spent on it. */
const measureDrain = async (
  pids: Record<string, number>,
  count: number,
  drain: () => Promise<Drain>,
): Promise<DrainResult> => {
  const ownBefore = process.cpuUsage();
  const { result, cpuMsPerRequest } = await cpuPerRequest(pids, drain, () => count);
  const own = process.cpuUsage(ownBefore);
  const drainSeconds = result.done - result.firstProgress;
  return {
    requests: count,
    startupSeconds: round(result.firstProgress),
    drainSeconds: round(drainSeconds),
    declinesPerSecond: Math.round(count / Math.max(drainSeconds, 0.001)),
    quarterRates: result.quarterRates,
    declinesPerSecondWithStartup: Math.round(count / Math.max(result.done, 0.001)),
    cpuMsPerDecline: { ...cpuMsPerRequest, bench: round((own.user + own.system) / 1000 / count) },
  };
};

const systemPids = (target: DaprTarget) => {
  const pids = target.pids();
  delete pids[AppIds.decliner];
  return pids;
};

/** The backlog on the declines topic for the decliner, then a burst while it runs. */
const runDecliner = async (
  target: DaprTarget,
  admin: Admin,
  backlog: readonly Application[],
  burst: readonly Application[],
  workDir: string,
  profileDir: string | undefined,
) => {
  const kafka = benchKafka(target.system.kafka.brokers);
  const bundle = (await bundleEntries([DECLINER_ENTRY], join(workDir, 'bundle'))).get(DECLINER_ENTRY)!;
  // The system's decliner would start on the backlog while it is written: stopped for good, started again below.
  await target.system.supervised().get(AppIds.decliner)!.stop();
  const produceSeconds = await produceDeclines(kafka, Topics.applicationDeclines, backlog);
  const window = { from: nowMicros(), to: 0 };
  const { proc, metricsUrl } = await startDecliner(target, bundle, workDir, profileDir);
  let stopped = false;
  const stop = async (decliner: ManagedProcess) => {
    if (!stopped) await decliner.stop(30_000);
    stopped = true;
  };
  try {
    const pids = { ...systemPids(target), decliner: proc.pid };
    const declinerLag = () => groupLag(admin, DECLINER_GROUP, Topics.applicationDeclines);
    const drain = await measureDrain(pids, backlog.length, () =>
      watchDrain(declinerLag, { timeoutMs: DRAIN_TIMEOUT_MS }),
    );
    window.to = nowMicros();
    const declinedBacklog = await declinedSoFar(metricsUrl);

    const burstStarted = performance.now();
    let written = false;
    const producing = produceDeclines(kafka, Topics.applicationDeclines, burst).finally(() => (written = true));
    const recovery = await watchDrain(declinerLag, {
      timeoutMs: DRAIN_TIMEOUT_MS,
      everyMs: 100,
      settled: () => written,
    });
    const burstResult = {
      requests: burst.length,
      produceSeconds: round(await producing),
      peakLag: recovery.peakLag,
      recoverySeconds: round((performance.now() - burstStarted) / 1000),
      applicationsDeclined: (await declinedSoFar(metricsUrl)) - declinedBacklog,
    };
    return {
      produceSeconds,
      decliner: { ...drain, applicationsDeclined: declinedBacklog },
      burst: burstResult,
      declinerPid: proc.pid,
      window,
    };
  } finally {
    await stop(proc);
  }
};

/** Each named process's profile, counting the samples taken while the decliner worked off the backlog. */
const profilesOf = async (dir: string, pids: Record<string, number>, window: { from: number; to: number }) => {
  const files = await readdir(dir);
  const summaries: Record<string, ProfileSummary> = {};
  for (const [name, pid] of Object.entries(pids)) {
    const file = files.find((each) => profilePid(each) === pid);
    if (!file) throw new Error(`no profile of ${name} (pid ${pid}) in ${dir}`);
    summaries[name] = summarise(JSON.parse(await readFile(join(dir, file), 'utf8')) as Profile, window, 25);
  }
  return summaries;
};

/** The same backlog on a topic of its own, worked off by a bare kafkajs consumer through the decliner's sidecar. */
const runBare = async (target: DaprTarget, backlog: readonly Application[]) => {
  const { brokers } = target.system.kafka;
  const kafka = benchKafka(brokers);
  const [declines] = await describeTopics(brokers, [Topics.applicationDeclines]);
  const topic = `bench.declines.bare.${Date.now()}`;
  const groupId = `bench-bare-${Date.now()}`;
  await createTopics(brokers, [{ name: topic, partitions: declines!.partitions.length }]);
  await produceDeclines(kafka, topic, backlog);
  const sidecar = target.system.apps.find((each) => each.appId === AppIds.decliner)!.sidecar;
  const consumer = await startBareConsumer(kafka, {
    groupId,
    topic,
    sidecarUrl: `http://127.0.0.1:${sidecar.httpPort}`,
    partitionsConcurrently: settings.partitionsConcurrently,
  });
  try {
    const drain = await measureDrain(systemPids(target), backlog.length, () =>
      // Counted by the consumer itself: kafkajs commits after each batch, and a batch is a large part of the backlog.
      watchDrain(async () => backlog.length - consumer.handled(), { timeoutMs: DRAIN_TIMEOUT_MS }),
    );
    return { ...drain, answers: consumer.answers };
  } finally {
    await consumer.stop();
  }
};

/**
 * The job service's own ceiling: the same call through the same sidecar, CEILING_IN_FLIGHT at a time, no Kafka.
 * What a consumer could reach at most with that many declines under way.
 */
const runCeiling = async (target: DaprTarget, applications: readonly Application[]) => {
  const sidecar = target.system.apps.find((each) => each.appId === AppIds.decliner)!.sidecar;
  const { decline, answers } = sidecarDecliner(`http://127.0.0.1:${sidecar.httpPort}`);
  const started = performance.now();
  const { cpuMsPerRequest } = await cpuPerRequest(
    systemPids(target),
    () => inParallel(applications, CEILING_IN_FLIGHT, (application) => decline(declineRequestOf(application))),
    () => applications.length,
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    requests: applications.length,
    inFlight: CEILING_IN_FLIGHT,
    seconds: round(seconds),
    declinesPerSecond: Math.round(applications.length / seconds),
    cpuMsPerDecline: cpuMsPerRequest,
    answers,
  };
};

const print = (results: DeclinerResults) => {
  const { decliner, bare, burst, setup, ceiling } = results;
  const row = (label: string, pick: (r: DrainResult) => string | number) =>
    `${label.padEnd(38)} ${String(pick(decliner)).padStart(12)} ${String(pick(bare)).padStart(16)}`;
  const cpu = (r: DrainResult) =>
    Object.values(r.cpuMsPerDecline)
      .reduce((total, ms) => total + (Number.isNaN(ms) ? 0 : ms), 0)
      .toFixed(2);
  const lines = [
    `${results.cores} cores, node ${results.node}; ${settings.partitionsConcurrently} partitions side by side`,
    `set-up: ${setup.jobs} jobs, ${setup.applications} applications seeded in ${setup.seedSeconds} s; ` +
      `backlog of ${decliner.requests} written in ${setup.produceSeconds} s`,
    `before: ${results.uptime.before}`,
    `after:  ${results.uptime.after}`,
    '',
    `${''.padEnd(38)} ${'decliner'.padStart(12)} ${'bare kafkajs'.padStart(16)}`,
    row('declines/s (from the first one handled)', (r) => r.declinesPerSecond),
    row('declines/s (with start-up)', (r) => r.declinesPerSecondWithStartup),
    row('declines/s by quarter of the backlog', (r) => r.quarterRates.join(' ')),
    row('start-up to the first one handled, s', (r) => r.startupSeconds),
    row('drain, s', (r) => r.drainSeconds),
    row('CPU ms per decline, all processes', cpu),
    `${'applications declined'.padEnd(38)} ${String(decliner.applicationsDeclined).padStart(12)} ${JSON.stringify(bare.answers).padStart(16)}`,
    '',
    `the job service alone (${results.ceiling.requests} declines through the same sidecar, ${results.ceiling.inFlight} at a time, no Kafka): ` +
      `${results.ceiling.declinesPerSecond} declines/s, ${JSON.stringify(results.ceiling.answers)}`,
    `burst of ${burst.requests} while the decliner runs: written in ${burst.produceSeconds} s, peak lag ${burst.peakLag}, ` +
      `lag 0 again ${burst.recoverySeconds} s after the first write (${burst.applicationsDeclined} declined)`,
    '',
    'CPU ms per decline, per process (decliner / bare / job service alone):',
  ];
  for (const [name, ms] of Object.entries(decliner.cpuMsPerDecline)) {
    const alone = (ceiling.cpuMsPerDecline[name] ?? NaN).toFixed(2).padStart(6);
    lines.push(
      `  ${name.padEnd(24)} ${ms.toFixed(2).padStart(6)} / ${(bare.cpuMsPerDecline[name] ?? NaN).toFixed(2).padStart(6)} / ${alone}`,
    );
  }
  for (const [app, summary] of Object.entries(results.profile?.apps ?? {})) {
    lines.push(
      '',
      `${app} profile while the decliner worked off the backlog: ${summary.total.toFixed(0)} ms busy, ` +
        `${summary.idle.toFixed(0)} ms idle; ${((summary.total / decliner.requests) * 1000).toFixed(0)} µs per decline`,
    );
    for (const [who, ms] of summary.owners) lines.push(`  ${ms.toFixed(0).padStart(7)} ms  ${who}`);
    lines.push('  top functions by self time:');
    for (const [fn, ms] of summary.functions) lines.push(`  ${ms.toFixed(0).padStart(7)} ms  ${fn}`);
  }
  if (results.profile) lines.push(`profiles in ${results.profile.dir}`);
  console.log(lines.join('\n'));
};

/** Starts the Dapr system; with --profile every node app of it runs under --cpu-prof, writing to `profileDir`. */
const startSystem = async (profileDir: string | undefined) => {
  if (!profileDir) return startDapr();
  await mkdir(profileDir, { recursive: true });
  const before = process.env.NODE_OPTIONS;
  process.env.NODE_OPTIONS = `${before ?? ''} --cpu-prof --cpu-prof-dir=${profileDir}`.trim();
  try {
    return await startDapr();
  } finally {
    if (before === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = before;
  }
};

const measureAll = async (target: DaprTarget, workDir: string, profileDir: string | undefined) => {
  const admin = benchKafka(target.system.kafka.brokers).admin();
  await admin.connect();
  try {
    const jobCount =
      2 * Math.ceil(settings.requests / settings.perJob) +
      Math.ceil(settings.burst / settings.perJob) +
      Math.ceil(settings.ceilingRequests / settings.perJob);
    const jobIds = await createJobs(target, jobCount);
    const job = target.system.apps.find((each) => each.appId === AppIds.job)!;
    const seedStarted = performance.now();
    const applications = await seedApplications(`http://127.0.0.1:${job.sidecar.httpPort}`, jobIds, settings.perJob);
    const seedSeconds = round((performance.now() - seedStarted) / 1000);
    const backlog = applications.slice(0, settings.requests);
    const bareBacklog = applications.slice(settings.requests, 2 * settings.requests);
    const burstEnd = 2 * settings.requests + settings.burst;
    const burst = applications.slice(2 * settings.requests, burstEnd);
    const direct = applications.slice(burstEnd, burstEnd + settings.ceilingRequests);

    const before = uptime();
    const declinerRun = await runDecliner(target, admin, backlog, burst, workDir, profileDir);
    const bare = await runBare(target, bareBacklog);
    const ceiling = await runCeiling(target, direct);
    const results: DeclinerResults = {
      name: settings.name,
      finishedAt: new Date().toISOString(),
      node: process.version,
      cores: cpus().length,
      settings,
      uptime: { before, after: uptime() },
      setup: {
        jobs: jobIds.length,
        applications: applications.length,
        seedSeconds,
        produceSeconds: round(declinerRun.produceSeconds),
      },
      decliner: declinerRun.decliner,
      bare,
      ceiling,
      burst: declinerRun.burst,
    };
    const profiled = { decliner: declinerRun.declinerPid, job: target.pids()[AppIds.job]! };
    return { results, profiled, window: declinerRun.window };
  } finally {
    await admin.disconnect();
  }
};

const main = async () => {
  const workDir = await mkdtemp(join(tmpdir(), 'sitter-bench-decliner-'));
  const profileDir = settings.profile ? join(workDir, 'profile') : undefined;
  const target = await startSystem(profileDir);
  let measured;
  try {
    measured = await measureAll(target, workDir, profileDir);
  } finally {
    // Stopping writes the profiles.
    await target.stop();
    if (!profileDir) await rm(workDir, { recursive: true, force: true });
  }
  const { results } = measured;
  if (profileDir)
    results.profile = { dir: profileDir, apps: await profilesOf(profileDir, measured.profiled, measured.window) };
  print(results);
  await mkdir(flags['results-dir'], { recursive: true });
  const file = join(flags['results-dir'], `${settings.name}.json`);
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(
    `\nload average at the end: ${loadavg()
      .map((each) => each.toFixed(2))
      .join(' ')}; written to ${file}`,
  );
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
