import { join } from 'node:path';
import { chosenDaprPort, daprSidecar } from '@sitter/dapr-runtime';
import { EmbeddedRuntime } from '@sitter/embedded-runtime';
import { close, createLogger, listen, onShutdown, type Logger } from '@sitter/platform';
import { createPaymentsSandboxApp, PAYMENTS_SANDBOX_APP_ID } from './app';
import { loadSandboxConfig } from './config';

type SandboxConfig = ReturnType<typeof loadSandboxConfig>;

interface Running {
  port: number;
  stop(): Promise<void>;
}

/** Behind a daprd sidecar of its own, on the same Kafka as booking: listens once the sidecar is ready. */
const onDapr = async (config: SandboxConfig, daprHttpPort: number, logger: Logger): Promise<Running> => {
  const sidecar = daprSidecar(PAYMENTS_SANDBOX_APP_ID, { daprHttpPort, logger });
  const app = createPaymentsSandboxApp({
    ...sidecar,
    logger,
    readiness: sidecar.readiness,
    runtimeRouters: [sidecar.subscriber.router],
  });
  await sidecar.waitUntilReady();
  const { server, port } = await listen(app, config.PORT);
  return { port, stop: () => close(server) };
};

/** Alone it has no broker shared with booking; `npm start` runs it with every service in one runtime. */
const onEmbedded = async (config: SandboxConfig, logger: Logger): Promise<Running> => {
  const runtime = new EmbeddedRuntime({ logger, dataDir: join(config.DATA_DIR, PAYMENTS_SANDBOX_APP_ID) });
  const app = createPaymentsSandboxApp({ ...(await runtime.sidecar(PAYMENTS_SANDBOX_APP_ID)), logger });
  runtime.register(PAYMENTS_SANDBOX_APP_ID, app);
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
  const config = loadSandboxConfig();
  const logger = createLogger(PAYMENTS_SANDBOX_APP_ID, config.LOG_LEVEL);
  const daprHttpPort = chosenDaprPort(config);
  const running =
    daprHttpPort === undefined ? await onEmbedded(config, logger) : await onDapr(config, daprHttpPort, logger);
  logger.info('payments sandbox listening', { port: running.port, runtime: config.SITTER_RUNTIME });
  onShutdown(running.stop, (message) => logger.info(message));
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
