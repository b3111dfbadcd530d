import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, createWriteStream, mkdtempSync, openSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A server process this package started. */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  /** The last lines the process printed (or, when detached or log-only, where its log file is). */
  output(): string;
  /** True once the process has exited. */
  hasExited(): boolean;
  /** Resolves once the process has exited, with how ("code 1", "signal SIGKILL"). */
  readonly exited: Promise<string>;
  /** SIGTERM, then SIGKILL after graceMs (the launch's stopGraceMs, 10 s by default); resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

export interface LaunchOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /**
   * Detached processes outlive this one (for `infra:up`): their output goes to logFile and nothing kills them
   * when this process exits.
   */
  detached?: boolean;
  /** Where the output goes: only there when detached or log-only; as well as into output() otherwise. */
  logFile?: string;
  /**
   * Output straight into logFile, not through a pipe this process reads: for a server whose callers block this
   * process (spawnSync of helm or kubectl) while it works, which would otherwise stall writing its log to a full pipe.
   */
  logOnly?: boolean;
  /** How long stop() waits after SIGTERM before SIGKILL, unless it is given a grace of its own (10 s). */
  stopGraceMs?: number;
  /** Run as this user and group (a server that refuses to run as root, started by root). */
  uid?: number;
  gid?: number;
}

const OUTPUT_LINES_KEPT = 200;
const DEFAULT_STOP_GRACE_MS = 10_000;
const attached = new Set<ChildProcess>();
let exitHookInstalled = false;

function killAttachedOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A test run that ends without stopping its servers must not leave them behind.
  process.on('exit', () => {
    for (const child of attached) child.kill('SIGKILL');
  });
}

export function launch(
  name: string,
  command: string,
  args: readonly string[],
  options: LaunchOptions = {},
): ManagedProcess {
  const lines: string[] = [];
  let logFd: number | undefined;
  if (options.detached || options.logOnly) {
    if (!options.logFile) throw new Error(`${name}: a detached or log-only process needs a logFile`);
    logFd = openSync(options.logFile, 'a');
  }
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: options.detached ?? false,
    ...(options.uid !== undefined ? { uid: options.uid } : {}),
    ...(options.gid !== undefined ? { gid: options.gid } : {}),
    stdio: logFd === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', logFd, logFd],
  });
  if (logFd !== undefined) closeSync(logFd);
  if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);

  let exited = child.exitCode !== null;
  const exitPromise = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true;
      attached.delete(child);
      const how = signal ? `signal ${signal}` : `code ${code}`;
      lines.push(`[${name} exited with ${how}]`);
      resolve(how);
    });
    child.once('error', (error) => {
      exited = true;
      attached.delete(child);
      lines.push(`[${name} failed: ${error.message}]`);
      resolve(`failure: ${error.message}`);
    });
  });

  const logCopy =
    logFd === undefined && options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
  // Swallowed: a log copy that cannot be written must not take the process's supervision down with it.
  logCopy?.on('error', () => undefined);
  child.once('close', () => logCopy?.end());
  const keep = (chunk: Buffer) => {
    logCopy?.write(chunk);
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.length > 0) lines.push(line);
    }
    if (lines.length > OUTPUT_LINES_KEPT) lines.splice(0, lines.length - OUTPUT_LINES_KEPT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  if (options.detached) {
    child.unref();
  } else {
    attached.add(child);
    killAttachedOnExit();
  }

  return {
    name,
    pid: child.pid,
    output: () => (logFd !== undefined ? `(see ${options.logFile})\n` : '') + lines.join('\n'),
    hasExited: () => exited,
    exited: exitPromise,
    async stop(graceMs = options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS) {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exitPromise;
      clearTimeout(timer);
    },
  };
}

/** A port that was free on 127.0.0.1 a moment ago. Callers retry on "address in use" (see startWithRetries). */
/** A port the kernel says is free right now (it may offer the same one again once it is released). */
function probeFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Hands out free ports, never the same one twice. A system's apps and sidecars each ask for ports before any of
 * them binds, and the kernel may offer a just-released port again: two components given one port would meet on it
 * (a sidecar forwarding to another's metrics port, say).
 */
export function portAllocator(probe: () => Promise<number> = probeFreePort): () => Promise<number> {
  const handedOut = new Set<number>();
  return async () => {
    for (;;) {
      const port = await probe();
      if (!handedOut.has(port)) {
        handedOut.add(port);
        return port;
      }
    }
  };
}

export const freePort = portAllocator();

export async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

export function makeTempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `sitter-${prefix}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class StartupError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(`${message}\n--- last output ---\n${output}`);
    this.name = 'StartupError';
  }
}

/** Polls until ready() is true; fails early, with the process's output, if the process exits first. */
export async function waitUntilReady(
  proc: ManagedProcess,
  what: string,
  ready: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.hasExited()) throw new StartupError(`${proc.name} exited before ${what}`, proc.output());
    if (await ready().catch(() => false)) return;
    if (Date.now() > deadline) {
      throw new StartupError(`${proc.name}: no ${what} after ${timeoutMs / 1000}s`, proc.output());
    }
    await delay(100);
  }
}

const portTaken = (output: string): boolean => /address already in use|bind: address/i.test(output);

/**
 * Starts something on freshly picked ports, picking again when another process took one of them meanwhile, or when
 * the failed start's output says `retryable` (a race another start will not lose).
 */
export async function startWithRetries<T>(
  start: () => Promise<T>,
  attempts = 3,
  retryable: (output: string) => boolean = () => false,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      const again = error instanceof StartupError && (portTaken(error.output) || retryable(error.output));
      if (!again || attempt >= attempts) throw error;
    }
  }
}
