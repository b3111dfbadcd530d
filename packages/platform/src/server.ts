import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';
import { createServer } from 'node:http';

/** Listens on the port (0 = any free one) and resolves with the bound port. */
export const listen = (
  handler: RequestListener,
  port: number,
  host = '0.0.0.0',
): Promise<{ server: Server; port: number }> =>
  new Promise((resolve, reject) => {
    const server = createServer(handler);
    trackResponses(server);
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({ server, port: (server.address() as AddressInfo).port });
    });
  });

export const DEFAULT_DRAIN_SECONDS = 10;

/**
 * SHUTDOWN_DRAIN_SECONDS: how long a stopping server lets the requests in flight finish. Read by every server
 * through `close`; `onShutdown` validates it at start-up, so a bad value stops the process before it serves.
 */
export const drainSeconds = (env: NodeJS.ProcessEnv = process.env): number => {
  const raw = env.SHUTDOWN_DRAIN_SECONDS;
  if (raw === undefined || raw.trim() === '') return DEFAULT_DRAIN_SECONDS;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0)
    throw new Error(`SHUTDOWN_DRAIN_SECONDS: "${raw}" is not a number of seconds (0 or more)`);
  return seconds;
};

/** The responses each server (started by `listen`) has in flight. */
const inFlight = new WeakMap<Server, Set<ServerResponse>>();

const trackResponses = (server: Server): void => {
  const responses = new Set<ServerResponse>();
  inFlight.set(server, responses);
  server.on('request', (_request, response: ServerResponse) => {
    responses.add(response);
    response.once('close', () => responses.delete(response));
  });
};

/** Idle keep-alive connections are closed this often while draining: a connection goes idle when its request ends. */
const IDLE_SWEEP_MS = 50;

/**
 * Drains the server: stops accepting connections, closes the idle ones, lets every request in flight finish (its
 * answer says `connection: close`, and the connection is closed once it is idle), and only after `drainMs` cuts what
 * is still open. Resolves once every
 * connection is gone.
 */
export const close = (server: Server, drainMs: number = drainSeconds() * 1000): Promise<void> =>
  new Promise((resolve, reject) => {
    // Answers still to be sent close their connection after them, so no client sends another request on it.
    for (const response of inFlight.get(server) ?? [])
      if (!response.headersSent) response.setHeader('connection', 'close');
    server.on('request', (_request, response: ServerResponse) => response.setHeader('connection', 'close'));
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    const deadline = setTimeout(() => server.closeAllConnections(), drainMs);
    server.close((error) => {
      clearInterval(sweep);
      clearTimeout(deadline);
      if (error) reject(error);
      else resolve();
    });
    server.closeIdleConnections();
  });

/** How often a process started by npm checks that npm is still there. */
const PARENT_CHECK_MS = 500;

export interface ShutdownOptions {
  /**
   * Stop when the parent process goes away (for `npm start`: npm does not pass SIGHUP on, and a killed npm leaves
   * its child running, re-parented, still holding its data directory).
   */
  followParent?: boolean;
}

/**
 * Calls `stop` once on SIGINT, SIGTERM or SIGHUP (or when the parent is gone, with `followParent`), then exits: 0
 * when it stopped cleanly. A second signal while stopping exits at once.
 */
export const onShutdown = (
  stop: () => Promise<void>,
  log: (message: string) => void,
  options: ShutdownOptions = {},
): void => {
  drainSeconds();
  let stopping = false;
  const handle = (reason: string) => {
    if (stopping) {
      log(`${reason} again while stopping: exiting now`);
      process.exit(1);
    }
    stopping = true;
    log(`${reason}, shutting down (requests in flight get ${drainSeconds()} s to finish)`);
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log(`stopping failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => handle(`received ${signal}`));
  if (options.followParent) {
    const parent = process.ppid;
    const watch = setInterval(() => {
      if (process.ppid === parent) return;
      clearInterval(watch);
      handle(`parent process ${parent} is gone`);
    }, PARENT_CHECK_MS).unref();
  }
};
