import { AppIds } from '@sitter/contracts';
import { hostService } from '@sitter/host';
import { outboxRelay } from '@sitter/platform';
import { createJobApp } from './app';
import { loadJobConfig } from './config';

/** The job service on its own, on the runtime SITTER_RUNTIME names, with its domain events' outbox relay. */
hostService({
  appId: AppIds.job,
  config: loadJobConfig(),
  build: (deps) => {
    // Publishes the domain events a failed publish or a crash left in the outbox.
    const relay = outboxRelay(deps);
    return { app: createJobApp(deps), start: () => relay.start(), stop: () => relay.stop() };
  },
}).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
