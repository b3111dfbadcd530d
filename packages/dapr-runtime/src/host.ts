import type { RequestListener } from 'node:http';
import { join } from 'node:path';
import type { Router } from 'express';
import { EmbeddedRuntime } from '@sitter/embedded-runtime';
import type { Invoker, Publisher, StateStore, Subscriber } from '@sitter/ports';
import {
  close,
  createLogger,
  drainSeconds,
  listen,
  onShutdown,
  type Logger,
  type ServiceHosting,
} from '@sitter/platform';
import { chosenDaprPort, chosenStateLockStore, type RuntimeConfig } from '@sitter/platform';
import { daprSidecar } from './runtime';
import { requireAppToken } from './app-token';

/** What a service's app factory receives from whichever runtime hosts it. */
export interface HostDeps extends ServiceHosting {
  store: StateStore;
  publisher: Publisher;
  subscriber: Subscriber;
  invoker: Invoker;
  /** The Dapr subscriber's routes; empty on the embedded runtime. */
  runtimeRouters: Router[];
}

export interface HostedApp {
  app: RequestListener;
  /** Background work to begin once the app serves (e.g. a scheduler). */
  start?(): void;
  stop?(): Promise<void>;
}

export interface HostOptions {
  appId: string;
  config: RuntimeConfig & { PORT: number; DATA_DIR: string; LOG_LEVEL: string };
  build(deps: HostDeps): HostedApp;
}

interface Hosting {
  hosted: HostedApp;
  ready(): Promise<void>;
  stop(): Promise<void>;
}

/** Behind a daprd sidecar: the app listens once the sidecar is ready and has loaded the app's Subscriptions. */
const onDapr = (options: HostOptions, daprHttpPort: number, logger: Logger): Hosting => {
  const sidecar = daprSidecar(options.appId, {
    daprHttpPort,
    apiToken: options.config.DAPR_API_TOKEN,
    logger,
    stateLockStore: chosenStateLockStore(options.config),
    // The system's subscriptions are Subscription resources (dapr-components/, the chart), checked at start-up.
    subscriptionDeclaration: 'declarative',
  });
  const hosted = options.build({
    ...sidecar,
    logger,
    readiness: sidecar.readiness,
    runtimeRouters: [sidecar.subscriber.router],
  });
  const guarded = { ...hosted, app: requireAppToken(hosted.app, options.config.APP_API_TOKEN) };
  const ready = async () => {
    await sidecar.waitUntilReady();
    await sidecar.checkSubscriptions();
  };
  return { hosted: guarded, ready, stop: async () => undefined };
};

const onEmbedded = async (options: HostOptions, logger: Logger): Promise<Hosting> => {
  // A directory of its own: the runtime locks its data directory, and other services may run from the same one.
  const runtime = new EmbeddedRuntime({ logger, dataDir: join(options.config.DATA_DIR, options.appId) });
  const hosted = options.build({ ...(await runtime.sidecar(options.appId)), logger, runtimeRouters: [] });
  runtime.register(options.appId, hosted.app);
  return { hosted, ready: () => runtime.start(), stop: () => runtime.stop() };
};

/**
 * Runs one service on its own (a service's `main.ts`): on the runtime its configuration chose,
 * listening on PORT, stopping cleanly on SIGINT/SIGTERM.
 */
export const hostService = async (options: HostOptions): Promise<void> => {
  const logger = createLogger(options.appId, options.config.LOG_LEVEL);
  drainSeconds(); // validates SHUTDOWN_DRAIN_SECONDS before anything starts
  const daprHttpPort = chosenDaprPort(options.config);
  const hosting =
    daprHttpPort === undefined ? await onEmbedded(options, logger) : onDapr(options, daprHttpPort, logger);
  await hosting.ready();
  const { server, port } = await listen(hosting.hosted.app, options.config.PORT);
  hosting.hosted.start?.();
  logger.info(`${options.appId} listening`, { port, runtime: options.config.SITTER_RUNTIME });
  onShutdown(
    async () => {
      await close(server);
      await hosting.hosted.stop?.();
      await hosting.stop();
    },
    (message) => logger.info(message),
  );
};
