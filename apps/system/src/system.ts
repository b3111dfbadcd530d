import type { Server } from 'node:http';
import { AppIds } from '@sitter/contracts';
import { startDevIssuer, type RunningDevIssuer } from '@sitter/dev-issuer';
import { EmbeddedRuntime, type RetryPolicy } from '@sitter/embedded-runtime';
import {
  createApiKeyGuard,
  createAuthenticator,
  createGatewayApp,
  DEFAULT_LIVE_LIMITS,
  feedFromSubscriber,
  InMemoryConnectionSlots,
  LiveAdmission,
  LiveEventFeed,
  serveWebSocketSubscriptions,
  type AuthConfig,
  type GatewayProtection,
  type GatewayYoga,
} from '@sitter/gateway';
import { close, createLogger, listen, outboxRelay, type Logger } from '@sitter/platform';
import { createBookingService, type BookingServiceDeps, type Scheduler } from '@sitter/booking-service';
import { createDeclinerApp } from '@sitter/decliner';
import { createJobApp } from '@sitter/job-service';
import { createPaymentsSandboxApp, PAYMENTS_SANDBOX_APP_ID } from '@sitter/payments-sandbox';
import { createUserApp } from '@sitter/user-service';

export interface SystemOptions {
  /** Gateway port; 0 picks a free one. */
  port: number;
  host?: string;
  /** Persist state and undelivered messages here; in memory when absent. */
  dataDir?: string;
  logLevel?: string;
  auth: AuthConfig;
  /** Start the dev issuer on this port (0 = any) with its key in dataDir, and trust it instead of auth's key source. */
  devIssuerPort?: number;
  retry?: RetryPolicy;
  /** The gateway's limits and browser-facing settings; the development defaults when absent. */
  protection?: GatewayProtection;
  /** Booking saga settings (deadline, scheduler interval) and, in tests, its clock. */
  booking?: Pick<BookingServiceDeps, 'settings' | 'sweepIntervalMs' | 'clock'>;
  /** Makes each component's logger; tests pass one that also captures the lines. */
  loggerFor?: (name: string, level: string) => Logger;
  /** Subscriptions: events held per subscription for a slow client, and the WebSocket connection limits. */
  live?: { bufferSize?: number; maxConnections?: number; maxConnectionsPerUser?: number };
}

export interface RunningSystem {
  url: string;
  port: number;
  yoga: GatewayYoga;
  runtime: EmbeddedRuntime;
  devIssuer?: RunningDevIssuer;
  /** The booking service's deadline scheduler; tests call its sweep() after moving their clock. */
  bookingScheduler: Scheduler;
  /** The domain events the gateway receives for its subscriptions (tests wait for their listeners). */
  liveEvents: LiveEventFeed;
  stop(): Promise<void>;
}

const SERVICES = [
  [AppIds.user, createUserApp],
  [AppIds.job, createJobApp],
  // Declines the other applicants of a booked job, from the embedded bus (on Kafka: services/decliner/src/main.ts).
  [AppIds.decliner, createDeclinerApp],
  // Not a platform service: the stand-in for the payment partner, so payments can be seen working.
  [PAYMENTS_SANDBOX_APP_ID, createPaymentsSandboxApp],
] as const;

/**
 * The whole system in one process on the embedded runtime: every service gets its own
 * sidecar (state store, pub/sub, invoker) and the gateway reaches them by app id only.
 */
export const startSystem = async (options: SystemOptions): Promise<RunningSystem> => {
  const level = options.logLevel ?? 'info';
  const loggerFor = options.loggerFor ?? createLogger;
  const runtime = new EmbeddedRuntime({
    logger: loggerFor('embedded-runtime', level),
    dataDir: options.dataDir,
    retry: options.retry,
  });
  let devIssuer: RunningDevIssuer | undefined;
  let server: Server | undefined;
  let bookingScheduler: Scheduler | undefined;
  const relays: ReturnType<typeof outboxRelay>[] = [];
  try {
    for (const [appId, createApp] of SERVICES) {
      const sidecar = await runtime.sidecar(appId);
      runtime.register(appId, createApp({ ...sidecar, logger: loggerFor(appId, level) }));
    }
    const booking = createBookingService({
      ...(await runtime.sidecar(AppIds.booking)),
      logger: loggerFor(AppIds.booking, level),
      ...options.booking,
    });
    runtime.register(AppIds.booking, booking.app);
    // The gateway reads the domain events from the bus like any other subscriber, for its subscriptions.
    const liveEvents = new LiveEventFeed();
    feedFromSubscriber((await runtime.sidecar(AppIds.gateway)).subscriber, liveEvents);
    await runtime.start();
    // Each service that records events publishes what its outbox still holds (a failed publish, a crash).
    for (const appId of [AppIds.user, AppIds.job, AppIds.booking]) {
      const sidecar = await runtime.sidecar(appId);
      const relay = outboxRelay({ ...sidecar, logger: loggerFor(appId, level) });
      relay.start();
      relays.push(relay);
    }
    bookingScheduler = booking.scheduler;
    bookingScheduler.start();
    let auth = options.auth;
    if (options.devIssuerPort !== undefined && options.dataDir !== undefined) {
      devIssuer = await startDevIssuer({ dataDir: options.dataDir, port: options.devIssuerPort, host: '127.0.0.1' });
      auth = { ...auth, JWKS_URI: devIssuer.jwksUri, JWT_ISSUER: devIssuer.issuer, JWT_AUDIENCE: devIssuer.audience };
    }
    const authenticator = createAuthenticator(auth);
    const gatewayLogger = loggerFor(AppIds.gateway, level);
    // WebSockets and SSE subscriptions count against the same limits, in this process.
    const liveAdmission = new LiveAdmission(new InMemoryConnectionSlots(), {
      maxConnections: options.live?.maxConnections ?? DEFAULT_LIVE_LIMITS.maxConnections,
      maxConnectionsPerUser: options.live?.maxConnectionsPerUser ?? DEFAULT_LIVE_LIMITS.maxConnectionsPerUser,
    });
    const { app, yoga } = createGatewayApp({
      invoker: runtime.invoker,
      authenticator,
      apiKeys: createApiKeyGuard(auth),
      logger: gatewayLogger,
      protection: options.protection,
      liveEvents,
      liveBufferSize: options.live?.bufferSize,
      liveAdmission,
    });
    const listening = await listen(app, options.port, options.host ?? '0.0.0.0');
    server = listening.server;
    const bound = server;
    const webSockets = serveWebSocketSubscriptions(bound, {
      yoga,
      authenticator,
      logger: gatewayLogger,
      admission: liveAdmission,
    });
    return {
      url: `http://localhost:${listening.port}/graphql`,
      port: listening.port,
      yoga,
      runtime,
      devIssuer,
      bookingScheduler,
      liveEvents,
      stop: async () => {
        await webSockets.close();
        await close(bound);
        await devIssuer?.stop();
        await booking.scheduler.stop();
        await Promise.all(relays.map((relay) => relay.stop()));
        await runtime.stop();
      },
    };
  } catch (error) {
    if (server) await close(server);
    await devIssuer?.stop();
    await bookingScheduler?.stop();
    await Promise.all(relays.map((relay) => relay.stop()));
    await runtime.stop();
    throw error;
  }
};
