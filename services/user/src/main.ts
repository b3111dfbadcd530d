import { join } from 'node:path';
import { AppIds } from '@sitter/contracts';
import { chosenDaprPort, daprSidecar } from '@sitter/dapr-runtime';
import { EmbeddedRuntime } from '@sitter/embedded-runtime';
import { close, createLogger, listen, onShutdown, type Logger } from '@sitter/platform';
import { createUserApp } from './app';
import { loadUserConfig, type UserConfig } from './config';

interface Running {
  port: number;
  stop(): Promise<void>;
}

/** Behind a daprd sidecar: listens once the sidecar is ready, then daprd reads the app's subscriptions. */
const onDapr = async (config: UserConfig, daprHttpPort: number, logger: Logger): Promise<Running> => {
  const sidecar = daprSidecar(AppIds.user, { daprHttpPort, logger });
  const app = createUserApp({
    ...sidecar,
    logger,
    readiness: sidecar.readiness,
    runtimeRouters: [sidecar.subscriber.router],
  });
  await sidecar.waitUntilReady();
  const { server, port } = await listen(app, config.PORT);
  return { port, stop: () => close(server) };
};

const onEmbedded = async (config: UserConfig, logger: Logger): Promise<Running> => {
  // A directory of its own: the runtime locks its data directory, and other services may run from the same one.
  const runtime = new EmbeddedRuntime({ logger, dataDir: join(config.DATA_DIR, AppIds.user) });
  const sidecar = await runtime.sidecar(AppIds.user);
  const app = createUserApp({ ...sidecar, logger });
  runtime.register(AppIds.user, app);
  await runtime.start();
  const { server, port } = await listen(app, config.PORT);
  return {
    port,
    stop: async () => {
      await close(server);
      await runtime.stop();
    },
  };
};

const main = async (): Promise<void> => {
  const config = loadUserConfig();
  const logger = createLogger(AppIds.user, config.LOG_LEVEL);
  const daprHttpPort = chosenDaprPort(config);
  const running =
    daprHttpPort === undefined ? await onEmbedded(config, logger) : await onDapr(config, daprHttpPort, logger);
  logger.info('user service listening', { port: running.port, runtime: config.SITTER_RUNTIME });
  onShutdown(running.stop, (message) => logger.info(message));
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
