import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaprSystem, type RunningDaprSystem } from '@sitter/system/dapr';

export const ROOT = join(__dirname, '..', '..');

/** A GraphQL server under test: where it answers, the processes to weigh, and how to stop it. */
export interface Target {
  url: string;
  /** Where its dev issuer's key is (for tokens); undefined for the bare server, which checks none. */
  dataDir?: string;
  /** Process name → pid, for RSS. */
  pids(): Record<string, number>;
  stop(): Promise<void>;
}

/** Starts a TypeScript entry point in its own node process (through tsx) and resolves with its port. */
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

const stopChild = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

/** The baseline: graphql-yoga with the gateway's schema over a Map (bench/bare-server.ts). */
export const startBare = async (): Promise<Target> => {
  const { child, port } = await startProcess('bench/bare-server.ts', { PORT: '0' }, /listening (\d+)/);
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    pids: () => ({ bare: child.pid! }),
    stop: () => stopChild(child),
  };
};

/**
 * `npm start`: the one-process system on the embedded runtime, with its own data directory; or on `existingDataDir`
 * (e.g. one seeded beforehand), which `stop` then leaves for its owner to remove.
 */
export const startEmbedded = async (env: NodeJS.ProcessEnv = {}, existingDataDir?: string): Promise<Target> => {
  const dataDir = existingDataDir ?? (await mkdtemp(join(tmpdir(), 'sitter-bench-embedded-')));
  const { child, port } = await startProcess(
    'apps/system/src/main.ts',
    { PORT: '0', DEV_ISSUER_PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env },
    /"graphql":"http:\/\/localhost:(\d+)\/graphql"/,
  );
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    dataDir,
    pids: () => ({ system: child.pid! }),
    stop: async () => {
      await stopChild(child);
      if (!existingDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
};

export interface DaprTarget extends Target {
  system: RunningDaprSystem;
}

/**
 * `npm run dev:dapr` as it starts by default: every service in its own process next to its own daprd, the state in
 * state.postgresql (no key locks), Redis for the gateway's API-key limits, and Kafka; on `existingDataDir` (the
 * stores' and Kafka's data kept from a run before), which `stop` then leaves in place.
 */
export const startDapr = async (existingDataDir?: string): Promise<DaprTarget> => {
  const dataDir = existingDataDir ?? (await mkdtemp(join(tmpdir(), 'sitter-bench-dapr-')));
  // Started by root, PostgreSQL runs as the postgres user, which must be able to reach its cluster in here.
  await chmod(dataDir, 0o755);
  const system = await startDaprSystem({ port: 0, dataDir, devIssuerPort: 0, logLevel: 'info', graphiql: false });
  return {
    url: `http://127.0.0.1:${system.port}/graphql`,
    dataDir,
    system,
    pids: () => {
      const pids: Record<string, number> = {};
      for (const [name, supervised] of system.supervised()) pids[name] = supervised.current.pid;
      return pids;
    },
    stop: async () => {
      await system.stop();
      if (!existingDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
};

/** Resident set size in MB (one decimal), or NaN when the process is gone. */
export const rssMegabytes = async (pid: number): Promise<number> => {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kilobytes = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    return Math.round(kilobytes / 102.4) / 10;
  } catch {
    return NaN;
  }
};

export const rssOf = async (pids: Record<string, number>): Promise<Record<string, number>> => {
  const rss: Record<string, number> = {};
  for (const [name, pid] of Object.entries(pids)) rss[name] = await rssMegabytes(pid);
  return rss;
};

/**
 * A process and its descendants (PostgreSQL's backends, one per pooled connection), each with the CPU time (user +
 * system) it has used so far, in ms; empty when the process is gone.
 */
export function cpuOfTree(root: number): Map<number, number> {
  const stats = new Map<number, { ppid: number; ms: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // After the command name (which may hold spaces): state, ppid, ... utime (14th field), stime (15th).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticksPerSecond = 100;
      stats.set(Number(entry), {
        ppid: Number(fields[1]),
        ms: ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond,
      });
    } catch {
      // Gone meanwhile.
    }
  }
  const tree = new Map<number, number>();
  const add = (pid: number) => {
    const stat = stats.get(pid);
    if (!stat) return;
    tree.set(pid, stat.ms);
    for (const [child, { ppid }] of stats) if (ppid === pid) add(child);
  };
  add(root);
  return tree;
}

/**
 * CPU ms each process (with its descendants: a member that started meanwhile counts from 0) spends per request while
 * `work` runs `requests()` requests; NaN for a process gone by the end.
 */
export const cpuPerRequest = async <T>(
  pids: Record<string, number>,
  work: () => Promise<T>,
  requests: (result: T) => number,
): Promise<{ result: T; cpuMsPerRequest: Record<string, number> }> => {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuOfTree(pid)]));
  const result = await work();
  const count = Math.max(1, requests(result));
  const cpuMsPerRequest: Record<string, number> = {};
  for (const [name, pid] of Object.entries(pids)) {
    const after = cpuOfTree(pid);
    let used = after.size === 0 ? NaN : 0;
    for (const [member, ms] of after) used += ms - (before[name]!.get(member) ?? 0);
    cpuMsPerRequest[name] = Math.round((used / count) * 100) / 100;
  }
  return { result, cpuMsPerRequest };
};
