import express, { type ErrorRequestHandler, type RequestHandler, type Router } from 'express';
import { Headers } from '@sitter/contracts';
import { actorFromHeaders } from './actor-headers';
import { attachDirectDispatcher, createDirectDispatcher } from './direct-dispatch';
import { errorResponse, type ErrorBody } from './error-response';
import type { Logger } from './logger';
import { checkedParams, logHandled, type Operation } from './operations';
import { currentRequestId, runWithRequestId } from './request-context';

/** Runs the rest of the request inside the caller's request id (or a new one). */
export const requestIdMiddleware: RequestHandler = (req, _res, next) => {
  runWithRequestId(req.header(Headers.requestId), () => {
    next();
  });
};

export const errorHandler =
  (logger: Logger): ErrorRequestHandler =>
  (error: unknown, req, res, _next) => {
    void _next;
    if (isBodyParserError(error)) {
      res.status(400).json({ code: 'BAD_USER_INPUT', message: 'request body is not valid JSON' } satisfies ErrorBody);
      return;
    }
    const { status, body } = errorResponse(error, logger, { method: req.method, path: req.path });
    if (body.retryAfterSeconds !== undefined) res.setHeader('retry-after', String(body.retryAfterSeconds));
    res.status(status).json(body);
  };

const isBodyParserError = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { type?: string }).type === 'entity.parse.failed';

const firstValues = (query: Record<string, unknown>): Record<string, string | undefined> =>
  Object.fromEntries(
    Object.entries(query).map(([key, value]) => [key, Array.isArray(value) ? String(value[0]) : String(value)]),
  );

const serve =
  (operation: Operation, logger: Logger): RequestHandler =>
  (req, res, next) => {
    const started = performance.now();
    res.once('finish', () => logHandled(logger, operation, res.statusCode, started));
    Promise.resolve()
      .then(() =>
        operation.handle({
          params: checkedParams(operation, req.params as Record<string, string>),
          query: firstValues(req.query as Record<string, unknown>),
          body: req.body,
          actor: actorFromHeaders((name) => req.header(name)),
          requestId: currentRequestId() ?? '',
        }),
      )
      .then((result) => {
        res.status(operation.status ?? 200).json(result);
      })
      .catch(next);
  };

export interface Readiness {
  /** Resolves true when the service can take traffic. */
  check(): Promise<boolean> | boolean;
}

/** `/healthz` answers while the process runs; `/readyz` only while its dependencies answer. */
export const healthRouter = (readiness: Readiness = { check: () => true }): Router => {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', (_req, res, next) => {
    Promise.resolve(readiness.check())
      .then((ready) => {
        res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready' });
      })
      .catch(next);
  });
  return router;
};

/** What the runtime hosting a service passes to its app factory, besides the ports. */
export interface ServiceHosting {
  logger: Logger;
  /** For /readyz: whether the runtime can serve (the Dapr sidecar's readiness); always ready by default. */
  readiness?: Readiness;
  /** Routers the runtime adds to the app, e.g. the Dapr subscriber's `/dapr/subscribe` and event routes. */
  runtimeRouters?: readonly Router[];
}

const ROUTE_METHODS = { GET: 'get', POST: 'post', PUT: 'put', PATCH: 'patch', DELETE: 'delete' } as const;

/**
 * A service's HTTP app: JSON bodies, request ids, health endpoints, its operations and the
 * shared error mapping. The embedded invoker may call the same operations without HTTP.
 */
export const createServiceApp = (
  logger: Logger,
  operations: readonly Operation[],
  readiness?: Readiness,
  /** Routers the runtime adds, e.g. the Dapr subscriber's `/dapr/subscribe` and event routes. */
  runtimeRouters: readonly Router[] = [],
): express.Express => {
  const app = express();
  app.disable('x-powered-by');
  app.use(healthRouter(readiness));
  app.use(requestIdMiddleware);
  app.use(express.json({ limit: '256kb', type: ['application/json', 'application/*+json'] }));
  for (const router of runtimeRouters) app.use(router);
  for (const operation of operations) app[ROUTE_METHODS[operation.method]](operation.path, serve(operation, logger));
  // The answer never echoes the method or path: it would tell a caller which internal routes exist.
  app.use((_req, res) => {
    res.status(404).json({ code: 'NOT_FOUND', message: 'not found' } satisfies ErrorBody);
  });
  app.use(errorHandler(logger));
  attachDirectDispatcher(app, createDirectDispatcher(operations, logger));
  return app;
};
