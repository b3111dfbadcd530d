import { AppIds } from '@sitter/contracts';
import { chosenDaprPort, daprSidecar } from '@sitter/dapr-runtime';
import { EmbeddedRuntime } from '@sitter/embedded-runtime';
import { close, createLogger, listen, onShutdown, type Logger } from '@sitter/platform';
import { createJobApp } from './app';
import { loadJobConfig, type JobServiceConfig } from './config';

interface Running {
  port: number;
  stop(): Promise<void>;
}

/** Behind a daprd sidecar: listens once the sidecar is ready, then daprd reads the app's subscriptions. */
const onDapr = async (config: JobServiceConfig, daprHttpPort: number, logger: Logger): Promise<Running> => {
  const sidecar = daprSidecar(AppIds.job, { daprHttpPort, logger });
  const app = createJobApp({
    ...sidecar,
    logger,
    readiness: sidecar.readiness,
    runtimeRouters: [sidecar.subscriber.router],
  });
  await sidecar.waitUntilReady();
  const { server, port } = await listen(app, config.PORT);
  return { port, stop: () => close(server) };
};

const onEmbedded = async (config: JobServiceConfig, logger: Logger): Promise<Running> => {
  const runtime = new EmbeddedRuntime({ logger, dataDir: config.DATA_DIR });
  const sidecar = await runtime.sidecar(AppIds.job);
  const app = createJobApp({ ...sidecar, logger });
  runtime.register(AppIds.job, app);
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

const start = async (): Promise<void> => {
  const config = loadJobConfig();
  const logger = createLogger(AppIds.job, config.LOG_LEVEL);
  const daprHttpPort = chosenDaprPort(config);
  const running =
    daprHttpPort === undefined ? await onEmbedded(config, logger) : await onDapr(config, daprHttpPort, logger);
  logger.info('job service listening', { port: running.port, runtime: config.SITTER_RUNTIME });
  onShutdown(running.stop, (message) => logger.info(message));
};

start().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
