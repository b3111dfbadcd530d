import { AppIds } from '@sitter/contracts';
import { daprSidecar } from '@sitter/dapr-runtime';
import { EmbeddedRuntime } from '@sitter/embedded-runtime';
import type { Invoker } from '@sitter/ports';
import { chosenDaprPort, createLogger, listen, onShutdown, close, type Logger, type Readiness } from '@sitter/platform';
import { createApiKeyGuard, createAuthenticator } from './auth';
import { createGatewayApp } from './app';
import { loadGatewayConfig } from './config';
import { gatewayProtection } from './protection';

interface Runtime {
  invoker: Invoker;
  readiness?: Readiness;
  stop(): Promise<void>;
}

/** Service invocation through the gateway's own daprd sidecar, once that sidecar is ready. */
const onDapr = async (daprHttpPort: number, apiToken: string | undefined, logger: Logger): Promise<Runtime> => {
  const sidecar = daprSidecar(AppIds.gateway, { daprHttpPort, apiToken, logger });
  await sidecar.waitUntilReady();
  return { invoker: sidecar.invoker, readiness: sidecar.readiness, stop: async () => undefined };
};

/**
 * On the embedded runtime no other service shares the gateway's process, so calls to them answer
 * SERVICE_UNAVAILABLE: use `npm start` (packages/system) for the whole system in one process.
 */
const onEmbedded = (logger: Logger): Runtime => {
  const runtime = new EmbeddedRuntime({ logger });
  return { invoker: runtime.invoker, stop: () => runtime.stop() };
};

/** Runs the gateway alone: behind its Dapr sidecar (SITTER_RUNTIME=dapr), or embedded. */
const main = async () => {
  const config = loadGatewayConfig();
  const logger = createLogger(AppIds.gateway, config.LOG_LEVEL);
  const daprHttpPort = chosenDaprPort(config);
  const runtime =
    daprHttpPort === undefined ? onEmbedded(logger) : await onDapr(daprHttpPort, config.DAPR_API_TOKEN, logger);
  const { app } = createGatewayApp({
    invoker: runtime.invoker,
    authenticator: createAuthenticator(config),
    apiKeys: createApiKeyGuard(config),
    logger,
    protection: gatewayProtection(config),
    readiness: runtime.readiness,
  });
  const { server, port } = await listen(app, config.PORT);
  logger.info('gateway listening', { port, runtime: config.SITTER_RUNTIME });
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
