import { EmbeddedRuntime } from '@sitter/embedded-runtime';
import { createLogger, listen, onShutdown, close } from '@sitter/platform';
import { createApiKeyGuard, createAuthenticator } from './auth';
import { createGatewayApp } from './app';
import { loadGatewayConfig } from './config';

/**
 * Runs the gateway alone. On the embedded runtime no other service shares its process, so
 * calls to them answer SERVICE_UNAVAILABLE: use `npm start` (packages/system) for the whole
 * system in one process.
 */
const main = async () => {
  const config = loadGatewayConfig();
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const runtime = new EmbeddedRuntime({ logger });
  const { app } = createGatewayApp({
    invoker: runtime.invoker,
    authenticator: createAuthenticator(config),
    apiKeys: createApiKeyGuard(config),
    logger,
    graphiql: config.GRAPHIQL,
  });
  const { server, port } = await listen(app, config.PORT);
  logger.info('gateway listening', { port });
  onShutdown(
    async () => {
      await close(server);
      await runtime.stop();
    },
    (message) => logger.info(message),
  );
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
