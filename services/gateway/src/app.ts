import type { RequestListener, ServerResponse } from 'node:http';
import { createSchema, createYoga, type YogaInitialContext, type YogaServerInstance } from 'graphql-yoga';
import { Headers } from '@sitter/contracts';
import { AppError, type Invoker } from '@sitter/ports';
import { newRequestId, type Logger, type Readiness } from '@sitter/platform';
import { RateLimitedError, type ApiKeyGuard, type Authenticator } from './auth';
import type { GatewayContext } from './graphql/context';
import { graphQLError } from './graphql/errors';
import { inputErrorCodes } from './graphql/input-error-codes';
import { operationLogging } from './graphql/logging-plugin';
import { resolvers } from './graphql/resolvers';
import { typeDefs } from './graphql/type-defs';
import { ServiceClient } from './services/service-client';

export interface GatewayDeps {
  invoker: Invoker;
  authenticator: Authenticator;
  apiKeys: ApiKeyGuard;
  logger: Logger;
  graphiql?: boolean;
  readiness?: Readiness;
}

/** What the HTTP server hands to yoga (node's req/res when served by express). */
type ServerContext = Record<string, unknown>;

export type GatewayYoga = YogaServerInstance<ServerContext, GatewayContext>;

export const createGatewayYoga = (deps: GatewayDeps): GatewayYoga =>
  createYoga<ServerContext, GatewayContext>({
    schema: createSchema<ServerContext & YogaInitialContext & GatewayContext>({ typeDefs, resolvers }),
    graphqlEndpoint: '/graphql',
    graphiql: deps.graphiql ?? true,
    landingPage: false,
    logging: {
      debug: (...args) => deps.logger.debug(String(args[0])),
      info: (...args) => deps.logger.info(String(args[0])),
      warn: (...args) => deps.logger.warn(String(args[0])),
      error: (...args) => deps.logger.error(String(args[0]), { detail: args.slice(1).map(String) }),
    },
    plugins: [operationLogging(deps.logger), inputErrorCodes()],
    context: async ({ request }) => {
      const requestId = request.headers.get(Headers.requestId) || newRequestId();
      const actor = await authenticate(deps, request.headers.get('authorization') ?? undefined);
      const apiKey = request.headers.get('x-api-key') ?? undefined;
      if (apiKey !== undefined) checkApiKey(deps, apiKey);
      return { requestId, actor, apiKey, services: new ServiceClient(deps.invoker, requestId, actor) };
    },
  });

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

const checkApiKey = (deps: GatewayDeps, apiKey: string) => {
  try {
    deps.apiKeys.check(apiKey);
  } catch (error) {
    if (error instanceof RateLimitedError) {
      throw graphQLError('RATE_LIMITED', error.message, {
        retryAfterSeconds: error.retryAfterSeconds,
        http: { status: 429, headers: { 'retry-after': String(error.retryAfterSeconds) } },
      });
    }
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
    const requestId = (req.headers[Headers.requestId] as string | undefined) || newRequestId();
    req.headers[Headers.requestId] = requestId;
    res.setHeader(Headers.requestId, requestId);
    void yoga(req, res);
  };
  return { app, yoga };
};

const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};
