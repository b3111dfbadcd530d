import { join } from 'node:path';
import { AppIds } from '@sitter/contracts';
import { EmbeddedRuntime } from '@sitter/embedded-runtime';
import { close, createLogger, listen, onShutdown } from '@sitter/platform';
import { createBookingService } from './app';
import { loadBookingConfig, loadBookingOptions } from './config';

const main = async (): Promise<void> => {
  const config = loadBookingConfig();
  const logger = createLogger(AppIds.booking, config.LOG_LEVEL);
  // A directory of its own: the runtime locks its data directory, and other services may run from the same one.
  const runtime = new EmbeddedRuntime({ logger, dataDir: join(config.DATA_DIR, AppIds.booking) });
  const sidecar = await runtime.sidecar(AppIds.booking);
  const booking = createBookingService({ ...sidecar, logger, ...loadBookingOptions() });
  runtime.register(AppIds.booking, booking.app);
  await runtime.start();
  booking.scheduler.start();
  const { server, port } = await listen(booking.app, config.PORT);
  logger.info('booking service listening', { port, runtime: config.SITTER_RUNTIME });
  onShutdown(
    async () => {
      await close(server);
      await booking.scheduler.stop();
      await runtime.stop();
    },
    (message) => logger.info(message),
  );
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
