import { join } from 'node:path';
import { EmbeddedRuntime } from '@sitter/embedded-runtime';
import { close, createLogger, listen, onShutdown } from '@sitter/platform';
import { createPaymentsSandboxApp, PAYMENTS_SANDBOX_APP_ID } from './app';
import { loadSandboxConfig } from './config';

/** Alone it has no broker shared with booking; `npm start` runs it with every service in one runtime. */
const main = async (): Promise<void> => {
  const config = loadSandboxConfig();
  const logger = createLogger(PAYMENTS_SANDBOX_APP_ID, config.LOG_LEVEL);
  const runtime = new EmbeddedRuntime({ logger, dataDir: join(config.DATA_DIR, PAYMENTS_SANDBOX_APP_ID) });
  const app = createPaymentsSandboxApp({ ...(await runtime.sidecar(PAYMENTS_SANDBOX_APP_ID)), logger });
  runtime.register(PAYMENTS_SANDBOX_APP_ID, app);
  await runtime.start();
  const { server, port } = await listen(app, config.PORT);
  logger.info('payments sandbox listening', { port });
  onShutdown(
    async () => {
      await close(server);
      await runtime.stop();
    },
    (message) => logger.info(message),
  );
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
