import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { loadOrCreateSigningKey, signDevToken } from '@sitter/dev-issuer';
import type { GraphQLResponse } from './harness';

const REPO_ROOT = join(__dirname, '..', '..', '..', '..');

export interface NpmStart {
  /** npm's pid: the process a person (or a supervisor) signals. */
  npmPid: number;
  /** The node process serving the system, started by npm. */
  serverPid: number;
  port: number;
  output(): string;
  /** Stops reading its output. */
  close(): void;
  /** Resolves with npm's exit code (or signal) once npm has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  tokenFor(sub: string, ...roles: string[]): string;
  gql<T = Record<string, unknown>>(query: string, token?: string): Promise<GraphQLResponse<T>>;
}

export const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const childrenOf = (pid: number): number[] => {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((child) => child > 0);
  } catch {
    return [];
  }
};

export const waitUntil = async (condition: () => boolean, timeoutMs: number, what: string): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

/**
 * `npm start` as a person runs it, in its own process group, on free ports and the given data directory. Resolves
 * once the system logs that it is up.
 */
export const npmStart = async (dataDir: string, env: Record<string, string> = {}): Promise<NpmStart> => {
  const key = await loadOrCreateSigningKey(dataDir);
  const child: ChildProcess = spawn('npm', ['start'], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', DEV_ISSUER_PORT: '0', LOG_LEVEL: 'info', ...env },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let npmGone = false;
  void exited.then(() => (npmGone = true));
  const up = /"graphql":"http:\/\/localhost:(\d+)\/graphql"/;
  await waitUntil(() => up.test(output) || npmGone, 60_000, 'npm start logs "sitter is up"').catch(() => undefined);
  const npmPid = child.pid as number;
  const [serverPid] = childrenOf(npmPid);
  if (!up.test(output) || !serverPid) {
    try {
      process.kill(-npmPid, 'SIGKILL');
    } catch {
      // already gone
    }
    throw new Error(`npm start did not come up:\n${output}`);
  }
  const port = Number(up.exec(output)?.[1]);
  const url = `http://127.0.0.1:${port}/graphql`;
  return {
    npmPid,
    serverPid,
    port,
    exited,
    output: () => output,
    close: () => {
      child.stdout?.destroy();
      child.stderr?.destroy();
    },
    tokenFor: (sub, ...roles) => signDevToken(key, { sub, roles }),
    gql: async <T>(query: string, token?: string) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query }),
      });
      return { status: response.status, ...((await response.json()) as object) } as GraphQLResponse<T>;
    },
  };
};

/**
 * Ends a started npm and everything in the process group it was started in (detached: the group is npm's pid),
 * whatever state it is in, so that no orphan keeps a pipe open after the test (for afterEach).
 */
export const killGroup = (started: NpmStart | undefined): void => {
  if (!started) return;
  for (const target of [-started.npmPid, started.serverPid, started.npmPid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  started.close();
};

/** `npm start` as often as a test needs, on one data directory at a time; `killAll` ends whatever is left. */
export const npmStarts = () => {
  const started: NpmStart[] = [];
  return {
    start: async (dataDir: string, env: Record<string, string> = {}): Promise<NpmStart> => {
      const system = await npmStart(dataDir, env);
      started.push(system);
      return system;
    },
    killAll: (): void => started.splice(0).forEach(killGroup),
  };
};
