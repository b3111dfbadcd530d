import { loadBookingOptions } from '@sitter/booking-service';
import { gatewayProtection } from '@sitter/gateway';
import { createLogger, drainSeconds, onShutdown } from '@sitter/platform';
import { loadSystemConfig } from './config';
import { startSystem } from './system';

/** `npm start`: the gateway and every service in one process on the embedded runtime. */
const main = async () => {
  const config = loadSystemConfig();
  drainSeconds(); // validates SHUTDOWN_DRAIN_SECONDS before anything starts
  const logger = createLogger('sitter', config.LOG_LEVEL);
  const system = await startSystem({
    port: config.PORT,
    dataDir: config.DATA_DIR,
    logLevel: config.LOG_LEVEL,
    auth: config,
    devIssuerPort: config.localAuth ? config.DEV_ISSUER_PORT : undefined,
    protection: gatewayProtection(config),
    booking: loadBookingOptions(),
    live: {
      bufferSize: config.LIVE_BUFFER_SIZE,
      maxConnections: config.LIVE_MAX_CONNECTIONS,
      maxConnectionsPerUser: config.LIVE_MAX_CONNECTIONS_PER_USER,
    },
  });
  logger.info('sitter is up', {
    graphql: system.url,
    dataDir: config.DATA_DIR,
    auth: config.localAuth ? `dev issuer at ${system.devIssuer?.jwksUri}` : (config.JWKS_URI ?? 'JWT_PUBLIC_KEY'),
  });
  if (config.localAuth) {
    logger.info('get a token with: npm run -s token -- --sub alice --role PARENT');
  }
  onShutdown(
    () => system.stop(),
    (message) => logger.info(message),
    // Run by npm (npm start): npm passes SIGINT and SIGTERM on, but neither SIGHUP nor its own death.
    { followParent: process.env.npm_lifecycle_event !== undefined },
  );
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
