import { AppIds } from '@sitter/contracts';
import { hostService } from '@sitter/host';
import { outboxRelay } from '@sitter/platform';
import { createBookingService } from './app';
import { loadBookingConfig, loadBookingOptions } from './config';

/** The booking service on its own, on the runtime SITTER_RUNTIME names, with its deadline scheduler and its domain events' outbox relay. */
hostService({
  appId: AppIds.booking,
  config: loadBookingConfig(),
  build: (deps) => {
    const booking = createBookingService({ ...deps, ...loadBookingOptions() });
    const relay = outboxRelay(deps);
    return {
      app: booking.app,
      start: () => {
        booking.scheduler.start();
        relay.start();
      },
      stop: async () => {
        await booking.scheduler.stop();
        await relay.stop();
      },
    };
  },
}).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
