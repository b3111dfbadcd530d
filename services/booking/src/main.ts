import { join } from 'node:path';
import { AppIds } from '@sitter/contracts';
import { chosenDaprPort, daprSidecar } from '@sitter/dapr-runtime';
import { EmbeddedRuntime } from '@sitter/embedded-runtime';
import { close, createLogger, listen, onShutdown, type Logger } from '@sitter/platform';
import { createBookingService } from './app';
import { loadBookingConfig, loadBookingOptions, type BookingConfig } from './config';

interface Running {
  port: number;
  stop(): Promise<void>;
}

/** Behind a daprd sidecar: listens once the sidecar is ready, then daprd reads the app's subscriptions. */
const onDapr = async (config: BookingConfig, daprHttpPort: number, logger: Logger): Promise<Running> => {
  const sidecar = daprSidecar(AppIds.booking, { daprHttpPort, logger });
  const booking = createBookingService({
    ...sidecar,
    logger,
    readiness: sidecar.readiness,
    runtimeRouters: [sidecar.subscriber.router],
    ...loadBookingOptions(),
  });
  await sidecar.waitUntilReady();
  const { server, port } = await listen(booking.app, config.PORT);
  booking.scheduler.start();
  return {
    port,
    stop: async () => {
      await close(server);
      await booking.scheduler.stop();
    },
  };
};

const onEmbedded = async (config: BookingConfig, logger: Logger): Promise<Running> => {
  // A directory of its own: the runtime locks its data directory, and other services may run from the same one.
  const runtime = new EmbeddedRuntime({ logger, dataDir: join(config.DATA_DIR, AppIds.booking) });
  const sidecar = await runtime.sidecar(AppIds.booking);
  const booking = createBookingService({ ...sidecar, logger, ...loadBookingOptions() });
  runtime.register(AppIds.booking, booking.app);
  await runtime.start();
  booking.scheduler.start();
  const { server, port } = await listen(booking.app, config.PORT);
  return {
    port,
    stop: async () => {
      await close(server);
      await booking.scheduler.stop();
      await runtime.stop();
    },
  };
};

const main = async (): Promise<void> => {
  const config = loadBookingConfig();
  const logger = createLogger(AppIds.booking, config.LOG_LEVEL);
  const daprHttpPort = chosenDaprPort(config);
  const running =
    daprHttpPort === undefined ? await onEmbedded(config, logger) : await onDapr(config, daprHttpPort, logger);
  logger.info('booking service listening', { port: running.port, runtime: config.SITTER_RUNTIME });
  onShutdown(running.stop, (message) => logger.info(message));
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
