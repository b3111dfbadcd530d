import { join } from 'node:path';
import { AppIds } from '@sitter/contracts';
import { EmbeddedRuntime } from '@sitter/embedded-runtime';
import { close, createLogger, listen, onShutdown } from '@sitter/platform';
import { createBookingApp } from './app';
import { loadBookingConfig } from './config';

const main = async (): Promise<void> => {
  const config = loadBookingConfig();
  const logger = createLogger(AppIds.booking, config.LOG_LEVEL);
  // A directory of its own: the runtime locks its data directory, and other services may run from the same one.
  const runtime = new EmbeddedRuntime({ logger, dataDir: join(config.DATA_DIR, AppIds.booking) });
  const sidecar = await runtime.sidecar(AppIds.booking);
  const app = createBookingApp({ ...sidecar, logger });
  runtime.register(AppIds.booking, app);
  await runtime.start();
  const { server, port } = await listen(app, config.PORT);
  logger.info('booking service listening', { port, runtime: config.SITTER_RUNTIME });
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
