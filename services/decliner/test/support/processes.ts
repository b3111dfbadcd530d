import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

export interface RunningProcess {
  child: ChildProcess;
  /** Each stdout line parsed as JSON where it is JSON (the service logs), else as { text }. */
  lines: Array<Record<string, unknown>>;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs a TypeScript entry point of the repo in one node process with tsx's loader. (The tsx command
 * would run it in a second process: a SIGKILL would then hit the wrapper and leave the app running.)
 */
export const runTs = (entry: string, env: Record<string, string>, args: string[] = []): RunningProcess => {
  // Passed explicitly: under jest, child_process would not see the test's own environment object.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, entry), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let partial = '';
  const lines: Array<Record<string, unknown>> = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    const split = (partial + chunk.toString('utf8')).split('\n');
    partial = split.pop() ?? '';
    for (const line of split) {
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ text: line });
      }
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, lines, stdout: () => out, stderr: () => err, exited };
};

/** Runs to the end and resolves with its output; rejects on a non-zero exit. */
export const runTsToEnd = async (entry: string, env: Record<string, string>, args: string[] = []): Promise<string> => {
  const running = runTs(entry, env, args);
  const { code } = await running.exited;
  if (code !== 0) throw new Error(`${entry} exited with ${code}:\n${running.stderr()}${running.stdout()}`);
  return running.stdout();
};
