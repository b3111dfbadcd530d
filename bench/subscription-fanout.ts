import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { loadOrCreateSigningKey, signDevToken } from '@sitter/dev-issuer';
import { percentile } from './lib/load';
import { CREATE_JOB, JOB, graphql, parentWithJob } from './lib/sitter';
import { ROOT, rssOf, startEmbedded } from './lib/targets';

/**
 * `npx tsx bench/subscription-fanout.ts`: N nannies, each on a WebSocket of their own (graphql-ws), subscribe to
 * jobPosted near the benchmark's jobs on the one-process system (`npm start`, embedded runtime); a parent then posts
 * a burst of jobs at once. Measures the delivery latency from each createJob's answer to each subscriber's copy of
 * that job (p50/p99; negative when the event beat the answer), and the system process's RSS before and after the
 * connections, per 1,000 connections. Every subscriber is a different user, so LIVE_MAX_CONNECTIONS_PER_USER does
 * not apply; LIVE_MAX_CONNECTIONS is raised to fit. Writes bench/results/<BENCH_NAME>.json. Figures only.
 *
 * Settings (environment): BENCH_SUBSCRIBERS (1000), BENCH_BURST (20 jobs), BENCH_NAME (subscription-fanout),
 * BENCH_RESULTS_DIR (bench/results).
 */
const env = process.env;
const settings = {
  subscribers: Number(env.BENCH_SUBSCRIBERS ?? 1000),
  burst: Number(env.BENCH_BURST ?? 20),
  name: env.BENCH_NAME ?? 'subscription-fanout',
  resultsDir: env.BENCH_RESULTS_DIR ?? join(ROOT, 'bench', 'results'),
};

/** How long every subscriber may take to be live, and the burst to arrive everywhere. */
const WAIT_MS = 120_000;
const JOB_POSTED = `subscription ($near: NearInput!) { jobPosted(near: $near) { job { id } distanceKm } }`;
const NEAR = { latitude: JOB.latitude, longitude: JOB.longitude, radiusKm: 10 };

export interface FanoutResults {
  name: string;
  finishedAt: string;
  node: string;
  cores: number;
  settings: typeof settings;
  /** Seconds until every subscriber had heard a first (warm-up) job. */
  secondsUntilAllLive: number;
  deliveries: { expected: number; received: number; duplicates: number };
  /** From each createJob's answer to each subscriber's copy of that job, in ms (negative: the event came first). */
  latencyMs: { p50: number; p99: number; max: number };
  /** The same from the moment each createJob was sent. */
  latencyFromRequestMs: { p50: number; p99: number; max: number };
  /** createJob answers during the burst, in ms from the burst's start. */
  burstAnsweredWithinMs: number;
  rssMb: { beforeConnections: number; afterConnections: number; perThousandConnections: number };
  loadAverage: number[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const waitFor = async (check: () => boolean, what: string) => {
  const deadline = Date.now() + WAIT_MS;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${WAIT_MS} ms waiting for ${what}`);
    await sleep(50);
  }
};

/** One nanny's connection: when each job id arrived (performance.now()), counting repeats. */
interface Subscriber {
  client: Client;
  arrivals: Map<string, number[]>;
  errors: string[];
}

const subscribe = (wsUrl: string, token: string): Subscriber => {
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  const subscriber: Subscriber = { client, arrivals: new Map(), errors: [] };
  client.subscribe<{ jobPosted: { job: { id: string } } }>(
    { query: JOB_POSTED, variables: { near: NEAR } },
    {
      next: (result) => {
        const at = performance.now();
        const id = result.data?.jobPosted.job.id;
        if (result.errors) subscriber.errors.push(JSON.stringify(result.errors));
        if (id) subscriber.arrivals.set(id, [...(subscriber.arrivals.get(id) ?? []), at]);
      },
      error: (error) => subscriber.errors.push(String((error as { reason?: string }).reason ?? error)),
      complete: () => undefined,
    },
  );
  return subscriber;
};

const main = async () => {
  const target = await startEmbedded({ LIVE_MAX_CONNECTIONS: String(settings.subscribers + 100) });
  const subscribers: Subscriber[] = [];
  try {
    const { headers } = await parentWithJob(target);
    const postJob = async () => (await graphql(target.url, CREATE_JOB, { job: JOB }, headers)).createJob.id;
    const key = await loadOrCreateSigningKey(target.dataDir!);
    const beforeConnections = (await rssOf(target.pids())).system;

    // Connect and subscribe; the protocol does not say when a subscription is live, so post warm-up jobs until
    // every subscriber has heard one.
    const connectStarted = performance.now();
    const wsUrl = target.url.replace(/^http/, 'ws');
    for (let i = 0; i < settings.subscribers; i += 1) {
      const token = signDevToken(key, { sub: `benchnanny${i}`, roles: ['NANNY'], expiresIn: '2h' });
      subscribers.push(subscribe(wsUrl, token));
    }
    const allHeardOne = () => subscribers.every((subscriber) => subscriber.arrivals.size > 0);
    const warmUpDeadline = Date.now() + WAIT_MS;
    while (!allHeardOne() && Date.now() < warmUpDeadline) {
      await postJob();
      await sleep(500);
    }
    await waitFor(allHeardOne, 'every subscriber to be live');
    // One more job, which every subscriber hears: the warm-up jobs before it have landed by then.
    const fence = await postJob();
    await waitFor(
      () => subscribers.every((subscriber) => subscriber.arrivals.has(fence)),
      'a job posted once every subscriber is live',
    );
    const secondsUntilAllLive = (performance.now() - connectStarted) / 1000;
    const afterConnections = (await rssOf(target.pids())).system;

    // The burst: every createJob at once, each answer's time kept by job id.
    const answeredAt = new Map<string, number>();
    const sentAt = new Map<string, number>();
    const burstStarted = performance.now();
    await Promise.all(
      Array.from({ length: settings.burst }, async () => {
        const sent = performance.now();
        const id = await postJob();
        answeredAt.set(id, performance.now());
        sentAt.set(id, sent);
      }),
    );
    const burstAnsweredWithinMs = performance.now() - burstStarted;
    const burstIds = [...answeredAt.keys()];
    const heardBurst = (subscriber: Subscriber) => burstIds.every((id) => subscriber.arrivals.has(id));
    await waitFor(() => subscribers.every(heardBurst), 'the burst to arrive at every subscriber');
    await sleep(1_000);

    const latenciesFrom = (start: Map<string, number>) =>
      subscribers
        .flatMap((subscriber) => burstIds.map((id) => subscriber.arrivals.get(id)![0] - start.get(id)!))
        .sort((a, b) => a - b);
    const copies = subscribers.flatMap((subscriber) => burstIds.map((id) => subscriber.arrivals.get(id)!.length));
    const errors = subscribers.flatMap((subscriber) => subscriber.errors);
    if (errors.length > 0) throw new Error(`subscribers got errors: ${errors.slice(0, 3).join('; ')}`);
    const round = (ms: number) => Math.round(ms * 100) / 100;
    const figures = (sorted: number[]) => ({
      p50: round(percentile(sorted, 50)),
      p99: round(percentile(sorted, 99)),
      max: round(sorted[sorted.length - 1]),
    });
    const results: FanoutResults = {
      name: settings.name,
      finishedAt: new Date().toISOString(),
      node: process.version,
      cores: cpus().length,
      settings,
      secondsUntilAllLive: round(secondsUntilAllLive),
      deliveries: {
        expected: settings.subscribers * settings.burst,
        received: copies.reduce((sum, count) => sum + count, 0),
        duplicates: copies.reduce((sum, count) => sum + count - 1, 0),
      },
      latencyMs: figures(latenciesFrom(answeredAt)),
      latencyFromRequestMs: figures(latenciesFrom(sentAt)),
      burstAnsweredWithinMs: round(burstAnsweredWithinMs),
      rssMb: {
        beforeConnections,
        afterConnections,
        perThousandConnections: round(((afterConnections - beforeConnections) * 1000) / settings.subscribers),
      },
      loadAverage: loadavg().map((each) => round(each)),
    };
    console.log(
      [
        `${settings.subscribers} subscribers (one user each), a burst of ${settings.burst} jobs; ` +
          `${results.cores} cores, node ${results.node}`,
        `all live after ${results.secondsUntilAllLive} s; burst answered within ${results.burstAnsweredWithinMs} ms`,
        `deliveries ${results.deliveries.received} of ${results.deliveries.expected} (${results.deliveries.duplicates} duplicates)`,
        `latency from createJob's answer: p50 ${results.latencyMs.p50} ms, p99 ${results.latencyMs.p99} ms, max ${results.latencyMs.max} ms`,
        `latency from createJob's request: p50 ${results.latencyFromRequestMs.p50} ms, p99 ${results.latencyFromRequestMs.p99} ms, max ${results.latencyFromRequestMs.max} ms`,
        `system RSS ${beforeConnections} MB before, ${afterConnections} MB after the connections: ` +
          `${results.rssMb.perThousandConnections} MB per 1,000 connections`,
      ].join('\n'),
    );
    await mkdir(settings.resultsDir, { recursive: true });
    const file = join(settings.resultsDir, `${settings.name}.json`);
    await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nwritten to ${file}`);
  } finally {
    await Promise.all(subscribers.map((subscriber) => subscriber.client.dispose()));
    await target.stop();
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
