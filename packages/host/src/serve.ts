import type { RequestListener, Server } from 'node:http';
import { close, createLogger, drainSeconds, listen, onShutdown, type Logger } from '@sitter/platform';

/** A service's app as a process serves it, with the steps around serving it. */
export interface HostedApp {
  app: RequestListener;
  /** Fields the "listening" line carries besides the port. */
  describe?: Record<string, unknown>;
  /**
   * Once the app listens (a scheduler, a Kafka consumer, WebSockets on the server). A rejection ends the process
   * with an error; SIGTERM during it stops the process as usual.
   */
  start?(server: Server): void | Promise<void>;
  /** At shutdown, before the server stops taking requests (a consumer leaving its group, open WebSockets). */
  beforeClose?(): Promise<void>;
  /** At shutdown, once the server has drained its requests. */
  stop?(): Promise<void>;
}

export interface ServeOptions {
  appId: string;
  port: number;
  logger: Logger;
  hosted: HostedApp;
  /** At shutdown, last: the runtime under the app. */
  stopRuntime?(): Promise<void>;
}

/**
 * The one way a service process serves: listens on `port`, logs `<appId> listening`, runs `start`, and on
 * SIGINT/SIGTERM/SIGHUP runs `beforeClose`, drains the server (SHUTDOWN_DRAIN_SECONDS), `stop`, the runtime's stop,
 * then exits 0.
 */
export const serve = async (options: ServeOptions): Promise<void> => {
  const { hosted, logger } = options;
  const { server, port } = await listen(hosted.app, options.port);
  onShutdown(
    async () => {
      await hosted.beforeClose?.();
      await close(server);
      await hosted.stop?.();
      await options.stopRuntime?.();
    },
    (message) => logger.info(message),
  );
  logger.info(`${options.appId} listening`, { port, ...hosted.describe });
  await hosted.start?.(server);
};

export interface HostAppOptions {
  appId: string;
  port: number;
  logLevel: string;
  build(logger: Logger): HostedApp | Promise<HostedApp>;
}

/**
 * A process on no runtime of its own (the decliner: it reads Kafka itself and calls other services through its
 * sidecar): builds the app with the process's logger and serves it.
 */
export const hostApp = async (options: HostAppOptions): Promise<void> => {
  const logger = createLogger(options.appId, options.logLevel);
  drainSeconds(); // validates SHUTDOWN_DRAIN_SECONDS before anything starts
  const hosted = await options.build(logger);
  await serve({ appId: options.appId, port: options.port, logger, hosted });
};
