import { AppIds } from '@sitter/contracts';
import { hostService } from '@sitter/host';
import { createJobApp } from './app';
import { loadJobConfig } from './config';

/** The job service on its own, on the runtime SITTER_RUNTIME names. */
hostService({
  appId: AppIds.job,
  config: loadJobConfig(),
  build: (deps) => ({ app: createJobApp(deps) }),
}).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
