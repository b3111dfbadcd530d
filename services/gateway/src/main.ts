import { AppIds } from '@sitter/contracts';
import { daprSidecar } from '@sitter/dapr-runtime';
import { EmbeddedRuntime } from '@sitter/embedded-runtime';
import type { Invoker } from '@sitter/ports';
import {
  chosenDaprPort,
  createLogger,
  kafkaConnectionOf,
  listen,
  onShutdown,
  close,
  type KafkaConnection,
  type Logger,
  type Readiness,
} from '@sitter/platform';
import { InMemoryConnectionSlots } from './adapters/in-memory-connection-slots';
import { InMemoryRateLimits } from './adapters/in-memory-rate-limits';
import { RedisConnectionSlots } from './adapters/redis-connection-slots';
import { RedisRateLimits } from './adapters/redis-rate-limits';
import { createApiKeyGuard, createAuthenticator, type RateLimitConfig } from './auth';
import { createGatewayApp } from './app';
import { loadGatewayConfig } from './config';
import { gatewayProtection } from './protection';
import { feedFromKafka, feedFromSubscriber, LiveEventFeed, serveWebSocketSubscriptions } from './live';

interface Runtime {
  invoker: Invoker;
  readiness?: Readiness;
  /** Where subscriptions get their events; absent: subscriptions answer SERVICE_UNAVAILABLE. */
  liveEvents?: LiveEventFeed;
  stop(): Promise<void>;
}

/** Service invocation through the gateway's own daprd sidecar, once that sidecar is ready. */
const onDapr = async (
  daprHttpPort: number,
  apiToken: string | undefined,
  kafka: { brokers: readonly string[]; connection: KafkaConnection },
  logger: Logger,
): Promise<Runtime> => {
  const sidecar = daprSidecar(AppIds.gateway, { daprHttpPort, apiToken, logger });
  await sidecar.waitUntilReady();
  if (kafka.brokers.length === 0) {
    return { invoker: sidecar.invoker, readiness: sidecar.readiness, stop: async () => undefined };
  }
  const liveEvents = new LiveEventFeed();
  const consumer = await feedFromKafka({ ...kafka, feed: liveEvents, logger });
  logger.info('subscriptions fed from Kafka', { groupId: consumer.groupId });
  return { invoker: sidecar.invoker, readiness: sidecar.readiness, liveEvents, stop: () => consumer.stop() };
};

/**
 * On the embedded runtime no other service shares the gateway's process, so calls to them answer
 * SERVICE_UNAVAILABLE: use `npm start` (packages/system) for the whole system in one process.
 */
const onEmbedded = (logger: Logger): Runtime => {
  const runtime = new EmbeddedRuntime({ logger });
  const liveEvents = new LiveEventFeed();
  feedFromSubscriber(runtime.broker.subscriberFor(AppIds.gateway), liveEvents);
  return { invoker: runtime.invoker, liveEvents, stop: () => runtime.stop() };
};

/** The users' subscription connections: counted in the rate limits' Redis when configured, else in this process. */
const connectionSlots = async (config: RateLimitConfig, logger: Logger) => {
  if (config.RATE_LIMIT_REDIS_HOST === undefined)
    return { slots: new InMemoryConnectionSlots(), close: async () => undefined };
  let lastError = '';
  const slots = await RedisConnectionSlots.connect({
    host: config.RATE_LIMIT_REDIS_HOST,
    password: config.RATE_LIMIT_REDIS_PASSWORD,
    tls: config.RATE_LIMIT_REDIS_TLS,
    timeoutMs: config.RATE_LIMIT_REDIS_TIMEOUT_MS,
    onError: (error) => {
      if (error.message === lastError) return;
      lastError = error.message;
      logger.warn('connection-limit Redis unreachable: new WebSockets are refused (4503)', { error: error.message });
    },
  });
  return { slots, close: () => slots.close() };
};

/** The API-key limits: in the shared Redis when configured (required on Dapr), else in this process. */
const rateLimitStore = async (config: RateLimitConfig, logger: Logger) => {
  if (config.RATE_LIMIT_REDIS_HOST === undefined)
    return { store: new InMemoryRateLimits(), close: async () => undefined };
  let lastError = '';
  const store = await RedisRateLimits.connect({
    host: config.RATE_LIMIT_REDIS_HOST,
    password: config.RATE_LIMIT_REDIS_PASSWORD,
    tls: config.RATE_LIMIT_REDIS_TLS,
    timeoutMs: config.RATE_LIMIT_REDIS_TIMEOUT_MS,
    // Once per distinct error, not once per reconnect attempt.
    onError: (error) => {
      if (error.message === lastError) return;
      lastError = error.message;
      logger.warn('rate-limit Redis unreachable: API-key requests get SERVICE_UNAVAILABLE', { error: error.message });
    },
  });
  return { store, close: () => store.close() };
};

/** Runs the gateway alone: behind its Dapr sidecar (SITTER_RUNTIME=dapr), or embedded. */
const main = async () => {
  const config = loadGatewayConfig();
  const logger = createLogger(AppIds.gateway, config.LOG_LEVEL);
  const daprHttpPort = chosenDaprPort(config);
  const runtime =
    daprHttpPort === undefined
      ? onEmbedded(logger)
      : await onDapr(
          daprHttpPort,
          config.DAPR_API_TOKEN,
          { brokers: config.KAFKA_BROKERS, connection: kafkaConnectionOf(config) },
          logger,
        );
  const limits = await rateLimitStore(config, logger);
  const connections = await connectionSlots(config, logger);
  const authenticator = createAuthenticator(config);
  const { app, yoga } = createGatewayApp({
    invoker: runtime.invoker,
    authenticator,
    apiKeys: createApiKeyGuard(config, limits.store),
    logger,
    protection: gatewayProtection(config),
    readiness: runtime.readiness,
    liveEvents: runtime.liveEvents,
    liveBufferSize: config.LIVE_BUFFER_SIZE,
  });
  const { server, port } = await listen(app, config.PORT);
  const webSockets = serveWebSocketSubscriptions(server, {
    yoga,
    authenticator,
    logger,
    limits: {
      maxConnections: config.LIVE_MAX_CONNECTIONS,
      maxConnectionsPerUser: config.LIVE_MAX_CONNECTIONS_PER_USER,
    },
    slots: connections.slots,
  });
  logger.info('gateway listening', { port, runtime: config.SITTER_RUNTIME });
  onShutdown(
    async () => {
      await webSockets.close();
      await close(server);
      await limits.close();
      await connections.close();
      await runtime.stop();
    },
    (message) => logger.info(message),
  );
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
