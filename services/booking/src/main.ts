import { AppIds } from '@sitter/contracts';
import { hostService } from '@sitter/host';
import { createBookingService } from './app';
import { loadBookingConfig, loadBookingOptions } from './config';

/** The booking service on its own, on the runtime SITTER_RUNTIME names, with its deadline scheduler. */
hostService({
  appId: AppIds.booking,
  config: loadBookingConfig(),
  build: (deps) => {
    const booking = createBookingService({ ...deps, ...loadBookingOptions() });
    return { app: booking.app, start: () => booking.scheduler.start(), stop: () => booking.scheduler.stop() };
  },
}).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
