/**
 * The gateway scaled out, and what sharing its limits costs. Two parts, figures only (nothing passes or fails):
 *
 * - the shared rate limit: one API-key charge (RateLimitStore.take) in process memory against the Redis adapter
 *   (one Lua script per charge) on a real redis-server, one caller at a time and `connections` at once;
 * - the gateway on dev:dapr (the same launcher) at 1 and then 2 replicas, in one run: a token-only getJob and an
 *   API-key listJobsByStatus (charged in Redis on every request) loaded through every gateway instance, the load's
 *   connections split between them; throughput and p99.
 *
 * Needs the provisioned tools (npm run infra:provision). Run: npx tsx bench/gateway-replicas.ts
 * (BENCH_SECONDS, BENCH_CONNECTIONS as for npm run bench; BENCH_PARTS=limits to skip the dev:dapr part).
 */
import { chmodSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { loadOrCreateSigningKey, signDevToken } from '@sitter/dev-issuer';
import { InMemoryRateLimits, RedisRateLimits, type RateLimitStore } from '@sitter/gateway';
import { makeTempDir, startRedis } from '@sitter/infra-harness';
import { startDaprSystem } from '@sitter/system/dapr';
import { CREATE_JOB, CREATE_USER, GET_JOB, JOB } from './lib/sitter';

const API_KEY = 'bench-api-key';
const OPEN_JOBS = `{ listJobsByStatus(jobStatus: OPEN, limit: 5) { items { id } } }`;

export interface BenchOptions {
  seconds: number;
  connections: number;
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** `callers` loops charging one key (with a limit never reached) until the time is up; each charge is timed. */
async function charges(store: RateLimitStore, seconds: number, callers: number): Promise<string> {
  const limit = { name: 'bench', capacity: 1e12 };
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  const caller = async () => {
    while (performance.now() < deadline) {
      const started = performance.now();
      await store.take(limit, 'bench-key', 1);
      latencies.push(performance.now() - started);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: callers }, caller));
  const rate = Math.round(latencies.length / ((performance.now() - started) / 1000));
  latencies.sort((a, b) => a - b);
  const micros = (ms: number) => `${Math.round(ms * 1000)} µs`.padStart(9);
  return `${String(rate).padStart(8)} charges/s  p50 ${micros(percentile(latencies, 50))}  p99 ${micros(percentile(latencies, 99))}`;
}

/** The cost of one API-key charge, in memory and in Redis; the lines to print. */
export async function rateLimitCost({ seconds, connections }: BenchOptions): Promise<string[]> {
  const redis = await startRedis();
  const shared = await RedisRateLimits.connect({ host: redis.address, timeoutMs: 2_000 });
  try {
    const memory = new InMemoryRateLimits();
    return [
      `rate-limit charge, in memory, 1 caller           ${await charges(memory, seconds, 1)}`,
      `rate-limit charge, Redis (Lua), 1 caller         ${await charges(shared, seconds, 1)}`,
      `rate-limit charge, in memory, ${String(connections).padEnd(2)} callers        ${await charges(memory, seconds, connections)}`,
      `rate-limit charge, Redis (Lua), ${String(connections).padEnd(2)} callers      ${await charges(shared, seconds, connections)}`,
    ];
  } finally {
    await shared.close();
    await redis.stop();
  }
}

const graphql = async (url: string, query: string, variables: unknown, headers: Record<string, string>) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const json = (await response.json()) as { data?: Record<string, { id: string }>; errors?: unknown };
  if (json.errors) throw new Error(`request failed: ${JSON.stringify(json.errors)}`);
  return json.data!;
};

/** One load through every URL at once, the connections split between them; summed throughput, worst p99. */
async function loadAll(urls: readonly string[], body: unknown, headers: Record<string, string>, options: BenchOptions) {
  const results = await Promise.all(
    urls.map((url) =>
      autocannon({
        url,
        method: 'POST',
        connections: Math.max(1, Math.round(options.connections / urls.length)),
        duration: options.seconds,
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }),
    ),
  );
  const requestsPerSecond = Math.round(results.reduce((sum, result) => sum + result.requests.average, 0));
  const p99 = Math.max(...results.map((result) => result.latency.p99));
  const failures = results.reduce((sum, result) => sum + result.errors + result.non2xx, 0);
  return `${String(requestsPerSecond).padStart(8)} req/s   p99 ${String(p99).padStart(5)} ms   failures ${failures}`;
}

/** The system on dev:dapr at `replicas`, loaded through its gateways; the lines to print. */
export async function gatewayAtReplicas(replicas: number, options: BenchOptions): Promise<string[]> {
  const dataDir = makeTempDir('bench-replicas');
  // Started by root, PostgreSQL (dev:dapr's default state store) runs as the postgres user, which must reach its cluster.
  chmodSync(dataDir, 0o755);
  const system = await startDaprSystem({
    port: 0,
    dataDir,
    replicas,
    devIssuerPort: 0,
    logLevel: 'warn',
    graphiql: false,
    env: { ...process.env, API_KEYS: API_KEY, API_KEY_RATE_LIMIT: '1000000000' },
  });
  try {
    const key = await loadOrCreateSigningKey(dataDir);
    const auth = {
      authorization: `Bearer ${signDevToken(key, { sub: 'benchparent', roles: ['PARENT'], expiresIn: '1h' })}`,
    };
    const user = { username: 'benchparent', email: 'bench@example.com', type: 'PARENT', firstName: 'B', lastName: 'M' };
    await graphql(system.url, CREATE_USER, { user }, auth);
    const jobId = (await graphql(system.url, CREATE_JOB, { job: JOB }, auth)).createJob.id;
    const label = `${replicas} replica${replicas > 1 ? 's' : ' '}`;
    return [
      `dev:dapr, ${label}, getJob (token)                ${await loadAll(system.urls, { query: GET_JOB, variables: { id: jobId } }, auth, options)}`,
      `dev:dapr, ${label}, listJobsByStatus (API key)    ${await loadAll(system.urls, { query: OPEN_JOBS }, { 'x-api-key': API_KEY }, options)}`,
    ];
  } finally {
    await system.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const main = async () => {
  const options: BenchOptions = {
    seconds: Number(process.env.BENCH_SECONDS ?? 10),
    connections: Number(process.env.BENCH_CONNECTIONS ?? 20),
  };
  console.log(
    `${options.connections} connections, ${options.seconds}s per run, one run at a time on ${cpus().length} cores\n`,
  );
  for (const line of await rateLimitCost(options)) console.log(line);
  if (process.env.BENCH_PARTS === 'limits') return;
  for (const replicas of [1, 2]) for (const line of await gatewayAtReplicas(replicas, options)) console.log(line);
};

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
