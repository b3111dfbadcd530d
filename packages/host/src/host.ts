import { join } from 'node:path';
import type { Router } from 'express';
import { daprSidecar, requireAppToken } from '@sitter/dapr-runtime';
import { EmbeddedRuntime } from '@sitter/embedded-runtime';
import type { Invoker, Publisher, StateStore, Subscriber } from '@sitter/ports';
import {
  chosenDaprPort,
  chosenStateLockStore,
  createLogger,
  drainSeconds,
  type Logger,
  type RuntimeConfig,
  type ServiceHosting,
} from '@sitter/platform';
import { serve, type HostedApp } from './serve';

/** What a service's app factory receives from whichever runtime hosts it. */
export interface HostDeps extends ServiceHosting {
  store: StateStore;
  publisher: Publisher;
  subscriber: Subscriber;
  invoker: Invoker;
  /** The Dapr subscriber's routes; empty on the embedded runtime. */
  runtimeRouters: Router[];
  /** The runtime the configuration chose. */
  runtime: 'embedded' | 'dapr';
}

export interface HostConfig extends RuntimeConfig {
  PORT: number;
  LOG_LEVEL: string;
  /** The embedded runtime keeps its data under `<DATA_DIR>/<appId>`; without it, in memory. */
  DATA_DIR?: string;
}

export interface HostOptions {
  appId: string;
  config: HostConfig;
  /**
   * The public entry (the gateway): its requests come from clients, not from its sidecar, so APP_API_TOKEN does not
   * guard it, and it subscribes to nothing through Dapr.
   */
  publicEntry?: boolean;
  build(deps: HostDeps): HostedApp | Promise<HostedApp>;
}

interface Hosting {
  hosted: HostedApp;
  stop?(): Promise<void>;
}

/**
 * Behind a daprd sidecar: the app is built once the sidecar is ready, and listens once the sidecar has loaded the
 * app's Subscriptions.
 */
const onDapr = async (options: HostOptions, daprHttpPort: number, logger: Logger): Promise<Hosting> => {
  const sidecar = daprSidecar(options.appId, {
    daprHttpPort,
    apiToken: options.config.DAPR_API_TOKEN,
    logger,
    stateLockStore: chosenStateLockStore(options.config),
    // The system's subscriptions are Subscription resources (dapr-components/, the chart), checked at start-up.
    subscriptionDeclaration: options.publicEntry ? undefined : 'declarative',
  });
  await sidecar.waitUntilReady();
  const hosted = await options.build({
    ...sidecar,
    logger,
    readiness: sidecar.readiness,
    runtimeRouters: [sidecar.subscriber.router],
    runtime: 'dapr',
  });
  if (options.publicEntry) return { hosted };
  await sidecar.checkSubscriptions();
  return { hosted: { ...hosted, app: requireAppToken(hosted.app, options.config.APP_API_TOKEN) } };
};

const onEmbedded = async (options: HostOptions, logger: Logger): Promise<Hosting> => {
  // A directory of its own: the runtime locks its data directory, and other services may run from the same one.
  const dataDir = options.config.DATA_DIR === undefined ? undefined : join(options.config.DATA_DIR, options.appId);
  const runtime = new EmbeddedRuntime({ logger, dataDir });
  const hosted = await options.build({
    ...(await runtime.sidecar(options.appId)),
    logger,
    runtimeRouters: [],
    runtime: 'embedded',
  });
  runtime.register(options.appId, hosted.app);
  await runtime.start();
  return { hosted, stop: () => runtime.stop() };
};

/**
 * Runs one service on its own (a service's `main.ts`): on the runtime its configuration chose (SITTER_RUNTIME),
 * listening on PORT, stopping cleanly on SIGINT/SIGTERM/SIGHUP (see `serve`).
 */
export const hostService = async (options: HostOptions): Promise<void> => {
  const logger = createLogger(options.appId, options.config.LOG_LEVEL);
  drainSeconds(); // validates SHUTDOWN_DRAIN_SECONDS before anything starts
  const daprHttpPort = chosenDaprPort(options.config);
  const hosting =
    daprHttpPort === undefined ? await onEmbedded(options, logger) : await onDapr(options, daprHttpPort, logger);
  await serve({
    appId: options.appId,
    port: options.config.PORT,
    logger,
    hosted: { ...hosting.hosted, describe: { runtime: options.config.SITTER_RUNTIME, ...hosting.hosted.describe } },
    stopRuntime: hosting.stop,
  });
};
