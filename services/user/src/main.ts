import { AppIds } from '@sitter/contracts';
import { hostService } from '@sitter/host';
import { createUserApp } from './app';
import { loadUserConfig } from './config';

/** The user service on its own, on the runtime SITTER_RUNTIME names. */
hostService({
  appId: AppIds.user,
  config: loadUserConfig(),
  build: (deps) => ({ app: createUserApp(deps) }),
}).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
