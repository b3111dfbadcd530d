import { AppIds } from '@sitter/contracts';
import { hostService, type HostDeps } from '@sitter/host';
import type { Subscriber } from '@sitter/ports';
import { kafkaConnectionOf, type Logger } from '@sitter/platform';
import { InMemoryConnectionSlots } from './adapters/in-memory-connection-slots';
import { InMemoryRateLimits } from './adapters/in-memory-rate-limits';
import { RedisConnectionSlots } from './adapters/redis-connection-slots';
import { RedisRateLimits } from './adapters/redis-rate-limits';
import { createApiKeyGuard, createAuthenticator, type RateLimitConfig } from './auth';
import { createGatewayApp } from './app';
import { loadGatewayConfig, type GatewayConfig } from './config';
import { gatewayProtection } from './protection';
import { feedFromKafka, feedFromSubscriber, LiveAdmission, LiveEventFeed, serveWebSocketSubscriptions } from './live';

/**
 * Where subscriptions get their events: the embedded broker; on Dapr, the domain.events topic read from Kafka
 * directly, or nowhere without KAFKA_BROKERS (subscriptions answer SERVICE_UNAVAILABLE).
 */
const liveEventsOn = async (
  config: GatewayConfig,
  runtime: HostDeps['runtime'],
  subscriber: Subscriber,
  logger: Logger,
): Promise<{ feed?: LiveEventFeed; stop(): Promise<void> }> => {
  if (runtime === 'embedded') {
    const feed = new LiveEventFeed();
    feedFromSubscriber(subscriber, feed);
    return { feed, stop: async () => undefined };
  }
  if (config.KAFKA_BROKERS.length === 0) return { stop: async () => undefined };
  const feed = new LiveEventFeed();
  const consumer = await feedFromKafka({
    brokers: config.KAFKA_BROKERS,
    connection: kafkaConnectionOf(config),
    feed,
    logger,
  });
  logger.info('subscriptions fed from Kafka', { groupId: consumer.groupId });
  return { feed, stop: () => consumer.stop() };
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
      logger.warn(
        'connection-limit Redis unreachable: new WebSockets are refused (4503), new SSE subscriptions get SERVICE_UNAVAILABLE',
        { error: error.message },
      );
    },
  });
  return { slots, close: () => slots.close() };
};

/**
 * Runs the gateway alone: behind its Dapr sidecar (SITTER_RUNTIME=dapr), subscriptions fed from Kafka when
 * KAFKA_BROKERS is set; or embedded, where no other service shares the gateway's process, so calls to them answer
 * SERVICE_UNAVAILABLE: use `npm start` (apps/system) for the whole system in one process.
 */
const main = async () => {
  const config = loadGatewayConfig();
  await hostService({
    appId: AppIds.gateway,
    config,
    publicEntry: true,
    build: async ({ invoker, readiness, subscriber, logger, runtime }) => {
      const live = await liveEventsOn(config, runtime, subscriber, logger);
      const limits = await rateLimitStore(config, logger);
      const connections = await connectionSlots(config, logger);
      const authenticator = createAuthenticator(config);
      // WebSockets and SSE subscriptions count against the same limits.
      const liveAdmission = new LiveAdmission(connections.slots, {
        maxConnections: config.LIVE_MAX_CONNECTIONS,
        maxConnectionsPerUser: config.LIVE_MAX_CONNECTIONS_PER_USER,
      });
      const { app, yoga } = createGatewayApp({
        invoker,
        authenticator,
        apiKeys: createApiKeyGuard(config, limits.store),
        logger,
        protection: gatewayProtection(config),
        readiness,
        liveEvents: live.feed,
        liveBufferSize: config.LIVE_BUFFER_SIZE,
        liveAdmission,
      });
      let webSockets: { close(): Promise<void> } | undefined;
      return {
        app,
        start: (server) => {
          webSockets = serveWebSocketSubscriptions(server, {
            yoga,
            authenticator,
            logger,
            admission: liveAdmission,
          });
        },
        beforeClose: async () => {
          await webSockets?.close();
        },
        stop: async () => {
          await limits.close();
          await connections.close();
          await live.stop();
        },
      };
    },
  });
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
