import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { createSchema, createYoga, type YogaInitialContext, type YogaServerInstance } from 'graphql-yoga';
import { Headers } from '@sitter/contracts';
import { AppError, type Invoker } from '@sitter/ports';
import { acceptedRequestId, type Logger, type Readiness } from '@sitter/platform';
import { RateLimitedError, RateLimitStoreUnavailableError, type ApiKeyGuard, type Authenticator } from './auth';
import type { GatewayContext } from './graphql/context';
import { graphQLError } from './graphql/errors';
import { servedGraphiQL } from './graphql/graphiql';
import { inputErrorCodes } from './graphql/input-error-codes';
import { operationLogging } from './graphql/logging-plugin';
import { resolvers } from './graphql/resolvers';
import { typeDefs } from './graphql/type-defs';
import { ServiceClient } from './services/service-client';
import type { LiveEventFeed } from './live/event-feed';
import { tokenExpiresAt, type LiveConnection } from './live/live-context';
import { DEFAULT_LIVE_LIMITS, LiveAdmission } from './live/live-admission';
import { InMemoryConnectionSlots } from './adapters/in-memory-connection-slots';
import {
  apiKeyCharging,
  corsFor,
  csrfPrevention,
  defaultProtection,
  operationLimits,
  rateLimited,
  rateLimitsUnavailable,
  schemaDiscovery,
  type GatewayProtection,
} from './protection';

export interface GatewayDeps {
  invoker: Invoker;
  authenticator: Authenticator;
  apiKeys: ApiKeyGuard;
  logger: Logger;
  /** Limits and browser-facing settings; the development defaults when absent. */
  protection?: GatewayProtection;
  readiness?: Readiness;
  /** The domain events this replica receives; without it, subscriptions answer SERVICE_UNAVAILABLE. */
  liveEvents?: LiveEventFeed;
  /** Events one subscription may hold for a client that has not read them yet (default 100). */
  liveBufferSize?: number;
  /**
   * What SSE subscriptions count against; give the WebSocket server the same one, so that both count together.
   * Default: the default limits, counted in this process.
   */
  liveAdmission?: LiveAdmission;
}

/** What the HTTP server hands to yoga (node's req/res when served by express). */
type ServerContext = Record<string, unknown>;

export type GatewayYoga = YogaServerInstance<ServerContext, GatewayContext>;

export const createGatewayYoga = (deps: GatewayDeps): GatewayYoga => {
  const protection = deps.protection ?? defaultProtection();
  const graphiql = servedGraphiQL();
  const admission = deps.liveAdmission ?? new LiveAdmission(new InMemoryConnectionSlots(), DEFAULT_LIVE_LIMITS);
  return createYoga<ServerContext, GatewayContext>({
    schema: createSchema<ServerContext & YogaInitialContext & GatewayContext>({ typeDefs, resolvers }),
    graphqlEndpoint: '/graphql',
    graphiql: protection.graphiql,
    renderGraphiQL: graphiql.renderGraphiQL,
    landingPage: false,
    cors: corsFor(protection.corsOrigins),
    // yoga refuses a larger body from its content-length, or once that many bytes are read: 413.
    maxRequestBodySize: protection.maxRequestBodyBytes,
    multipart: false,
    logging: {
      debug: (...args) => deps.logger.debug(String(args[0])),
      info: (...args) => deps.logger.info(String(args[0])),
      warn: (...args) => deps.logger.warn(String(args[0])),
      error: (...args) => deps.logger.error(String(args[0]), { detail: args.slice(1).map(String) }),
    },
    plugins: [
      csrfPrevention(),
      ...schemaDiscovery(protection.introspection),
      ...operationLimits(protection),
      operationLogging(deps.logger),
      inputErrorCodes(),
      apiKeyCharging(deps.apiKeys),
      graphiql.plugin,
    ],
    // Runs once the operation has been parsed and validated within its limits.
    context: async ({ request, req, liveConnection }) => {
      const requestId = acceptedRequestId(request.headers.get(Headers.requestId));
      const actor = await authenticate(deps, request.headers.get('authorization') ?? undefined);
      const apiKey = request.headers.get('x-api-key') ?? undefined;
      if (apiKey !== undefined) await checkApiKey(deps, apiKey, clientAddress(req));
      const services = new ServiceClient(deps.invoker, requestId, actor);
      // Over SSE the connection is the HTTP response: the subscription itself ends at the token's expiry, and counts
      // against the connection limits itself.
      const webSocket = liveConnection as LiveConnection | undefined;
      const connection: LiveConnection = webSocket ?? {
        expiresAt: tokenExpiresAt(request.headers.get('authorization') ?? undefined),
      };
      const live = deps.liveEvents
        ? {
            feed: deps.liveEvents,
            connection,
            bufferSize: deps.liveBufferSize ?? 100,
            admission: webSocket ? undefined : admission,
          }
        : undefined;
      return { requestId, actor, apiKey, services, live };
    },
  });
};

/** The peer's address when served over HTTP (behind a proxy: the proxy's); requests made with yoga.fetch share one. */
const clientAddress = (req: unknown): string =>
  (req as IncomingMessage | undefined)?.socket?.remoteAddress ?? 'in-process';

const authenticate = async (deps: GatewayDeps, authorization: string | undefined) => {
  try {
    return await deps.authenticator.authenticate(authorization);
  } catch (error) {
    if (error instanceof AppError) {
      throw graphQLError('UNAUTHENTICATED', error.message, { http: { status: 401 } });
    }
    throw error;
  }
};

const checkApiKey = async (deps: GatewayDeps, apiKey: string, address: string) => {
  try {
    await deps.apiKeys.check(apiKey, address);
  } catch (error) {
    if (error instanceof RateLimitedError) throw rateLimited(error);
    if (error instanceof RateLimitStoreUnavailableError) throw rateLimitsUnavailable(error);
    if (error instanceof AppError) throw graphQLError(error.code, error.message, { http: { status: 401 } });
    throw error;
  }
};

/**
 * The gateway's HTTP handler: GraphQL (and GraphiQL) at /graphql, plus /healthz and /readyz.
 * A plain node handler rather than express: this is the hot path of every request.
 */
export const createGatewayApp = (deps: GatewayDeps): { app: RequestListener; yoga: GatewayYoga } => {
  const yoga = createGatewayYoga(deps);
  const readiness = deps.readiness ?? { check: () => true };
  const app: RequestListener = (req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (path === '/readyz') {
      Promise.resolve(readiness.check()).then(
        (ready) => sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready' }),
        () => sendJson(res, 503, { status: 'not ready' }),
      );
      return;
    }
    if (path !== yoga.graphqlEndpoint) return sendJson(res, 404, { message: 'not found; GraphQL is at /graphql' });
    const requestId = acceptedRequestId(req.headers[Headers.requestId] as string | undefined);
    req.headers[Headers.requestId] = requestId;
    res.setHeader(Headers.requestId, requestId);
    void yoga(req, res);
  };
  return { app, yoga };
};

const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};
