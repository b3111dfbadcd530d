import { AppIds } from '@sitter/contracts';
import { close, createLogger, listen, onShutdown } from '@sitter/platform';
import { EmbeddedRuntime } from '@sitter/embedded-runtime';
import { createJobApp } from './app';
import { loadJobConfig } from './config';

const start = async (): Promise<void> => {
  const config = loadJobConfig();
  const logger = createLogger(AppIds.job, config.LOG_LEVEL);
  const runtime = new EmbeddedRuntime({ logger, dataDir: config.DATA_DIR });
  const sidecar = await runtime.sidecar(AppIds.job);
  const app = createJobApp({ ...sidecar, logger });
  runtime.register(AppIds.job, app);
  await runtime.start();
  const { server, port } = await listen(app, config.PORT);
  logger.info('job service listening', { port, runtime: config.SITTER_RUNTIME });
  onShutdown(
    async () => {
      await close(server);
      await runtime.stop();
    },
    (message) => logger.info(message),
  );
};

start().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
