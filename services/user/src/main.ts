import { AppIds } from '@sitter/contracts';
import { hostService } from '@sitter/host';
import { outboxRelay } from '@sitter/platform';
import { createUserApp } from './app';
import { loadUserConfig } from './config';

/** The user service on its own, on the runtime SITTER_RUNTIME names, with its domain events' outbox relay. */
hostService({
  appId: AppIds.user,
  config: loadUserConfig(),
  build: (deps) => {
    // Publishes the domain events a failed publish or a crash left in the outbox.
    const relay = outboxRelay(deps);
    return { app: createUserApp(deps), start: () => relay.start(), stop: () => relay.stop() };
  },
}).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
