import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { loadOrCreateSigningKey, signDevToken } from '@sitter/dev-issuer';

/**
 * `npm run bench`: loads the one-process system (embedded runtime with file persistence, JWT
 * verification, service invocation) and a bare yoga server with the same schema and in-memory
 * resolvers, with the same getJob and createJob requests, and prints throughput, latency and
 * the system's idle memory. Figures only: nothing here passes or fails.
 */
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const ROOT = join(__dirname, '..');

const JOB = {
  jobType: 'ONE_OFF',
  startDate: '2027-03-01',
  endDate: '2027-03-01',
  startTime: '18:00',
  endTime: '23:00',
  address: '1 Bench Road',
  city: 'Leeds',
  latitude: 53.8,
  longitude: -1.55,
  cost: '120.00',
};
const CREATE_USER = `mutation ($user: CreateUserInput!) { createUser(user: $user) { username } }`;
const CREATE_JOB = `mutation ($job: CreateJobInput!) { createJob(job: $job) { id } }`;
const GET_JOB = `query ($id: ID!) { getJob(id: $id) { id owner jobType startDate endDate cost status latitude longitude } }`;

/** Starts a TypeScript entry point in its own node process and resolves with its port. */
const startProcess = (entry: string, env: NodeJS.ProcessEnv, portPattern: RegExp) =>
  new Promise<{ child: ChildProcess; port: number }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', entry], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = portPattern.exec(output);
      if (match) resolve({ child, port: Number(match[1]) });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code}:\n${output}`)));
  });

const rssMegabytes = async (pid: number): Promise<number> => {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kilobytes = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return Math.round(kilobytes / 102.4) / 10;
};

const graphql = async (url: string, query: string, variables: unknown, headers: Record<string, string> = {}) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const json = (await response.json()) as { data?: Record<string, { id: string }>; errors?: unknown };
  if (json.errors) throw new Error(`request failed: ${JSON.stringify(json.errors)}`);
  return json.data!;
};

interface Figures {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  failures: number;
}

const load = async (url: string, query: string, variables: unknown, headers: Record<string, string>) => {
  const result = await autocannon({
    url,
    method: 'POST',
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const figures: Figures = {
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.errors + result.non2xx,
  };
  return figures;
};

const row = (label: string, figures: Figures) =>
  `${label.padEnd(28)} ${String(figures.requestsPerSecond).padStart(8)} req/s   p50 ${String(figures.p50).padStart(4)} ms   p99 ${String(figures.p99).padStart(4)} ms   failures ${figures.failures}`;

const main = async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'sitter-bench-'));
  const children: ChildProcess[] = [];
  try {
    const system = await startProcess(
      'packages/system/src/main.ts',
      { PORT: '0', DEV_ISSUER_PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info' },
      /"graphql":"http:\/\/localhost:(\d+)\/graphql"/,
    );
    children.push(system.child);
    const bare = await startProcess('bench/bare-server.ts', { PORT: '0' }, /listening (\d+)/);
    children.push(bare.child);
    const systemUrl = `http://127.0.0.1:${system.port}/graphql`;
    const bareUrl = `http://127.0.0.1:${bare.port}/graphql`;

    await new Promise((resolve) => setTimeout(resolve, 2000));
    const idleRss = await rssMegabytes(system.child.pid!);

    const key = await loadOrCreateSigningKey(dataDir);
    const token = signDevToken(key, { sub: 'benchparent', roles: ['PARENT'], expiresIn: '1h' });
    const auth = { authorization: `Bearer ${token}` };
    await graphql(
      systemUrl,
      CREATE_USER,
      {
        user: {
          username: 'benchparent',
          email: 'bench@example.com',
          type: 'PARENT',
          firstName: 'Bench',
          lastName: 'Mark',
        },
      },
      auth,
    );
    const systemJob = (await graphql(systemUrl, CREATE_JOB, { job: JOB }, auth)).createJob.id;
    const bareJob = (await graphql(bareUrl, CREATE_JOB, { job: JOB })).createJob.id;

    console.log(
      `load: ${CONNECTIONS} connections, ${DURATION_SECONDS}s per run, one run at a time on ${cpus().length} cores\n`,
    );
    const bareRead = await load(bareUrl, GET_JOB, { id: bareJob }, {});
    console.log(row('bare yoga     getJob', bareRead));
    const systemRead = await load(systemUrl, GET_JOB, { id: systemJob }, auth);
    console.log(row('sitter system getJob', systemRead));
    const bareWrite = await load(bareUrl, CREATE_JOB, { job: JOB }, {});
    console.log(row('bare yoga     createJob', bareWrite));
    const systemWrite = await load(systemUrl, CREATE_JOB, { job: JOB }, auth);
    console.log(row('sitter system createJob', systemWrite));
    const busyRss = await rssMegabytes(system.child.pid!);

    const percent = (part: number, whole: number) => `${Math.round((100 * part) / whole)} %`;
    console.log('');
    console.log(
      `read throughput, system / bare:  ${percent(systemRead.requestsPerSecond, bareRead.requestsPerSecond)} (target >= 50 %)`,
    );
    console.log(
      `write throughput, system / bare: ${percent(systemWrite.requestsPerSecond, bareWrite.requestsPerSecond)}`,
    );
    console.log(`system RSS idle after start: ${idleRss} MB (target <= 150 MB); after the load: ${busyRss} MB`);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await rm(dataDir, { recursive: true, force: true });
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
