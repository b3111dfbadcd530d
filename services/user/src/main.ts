import { join } from 'node:path';
import { AppIds } from '@sitter/contracts';
import { EmbeddedRuntime } from '@sitter/embedded-runtime';
import { close, createLogger, listen, onShutdown } from '@sitter/platform';
import { createUserApp } from './app';
import { loadUserConfig } from './config';

const main = async (): Promise<void> => {
  const config = loadUserConfig();
  const logger = createLogger(AppIds.user, config.LOG_LEVEL);
  // A directory of its own: the runtime locks its data directory, and other services may run from the same one.
  const runtime = new EmbeddedRuntime({ logger, dataDir: join(config.DATA_DIR, AppIds.user) });
  const sidecar = await runtime.sidecar(AppIds.user);
  const app = createUserApp({ ...sidecar, logger });
  runtime.register(AppIds.user, app);
  await runtime.start();
  const { server, port } = await listen(app, config.PORT);
  logger.info('user service listening', { port, runtime: config.SITTER_RUNTIME });
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
