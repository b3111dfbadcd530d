import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Router } from 'express';
import { AppError, ConcurrencyConflictError, ServiceUnavailableError, type Actor, type Role } from '@sitter/ports';
import { Headers } from '@sitter/contracts';
import { runWithRequestId } from './request-context';
import type { Logger } from './logger';

const STATUS_BY_CODE: Record<AppError['code'], number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
};

/** The JSON body of every error a service answers; the gateway turns it back into an AppError. */
export interface ErrorBody {
  code: AppError['code'] | 'UNAVAILABLE' | 'INTERNAL';
  message: string;
  field?: string;
}

/** Runs the rest of the request inside the caller's request id (or a new one). */
export const requestIdMiddleware: RequestHandler = (req, _res, next) => {
  const requestId = req.header(Headers.requestId);
  runWithRequestId(requestId, () => {
    next();
  });
};

/** Wraps an async route so a rejected promise reaches the error handler. */
export const route =
  (handler: (req: Request, res: express.Response) => Promise<unknown>): RequestHandler =>
  (req, res, next) => {
    handler(req, res).catch(next);
  };

export const errorHandler =
  (logger: Logger): ErrorRequestHandler =>
  (error: unknown, req, res, _next) => {
    void _next;
    if (error instanceof AppError) {
      const body: ErrorBody = { code: error.code, message: error.message, field: error.field };
      res.status(STATUS_BY_CODE[error.code]).json(body);
      return;
    }
    if (error instanceof ConcurrencyConflictError) {
      res
        .status(409)
        .json({ code: 'CONFLICT', message: 'the record changed concurrently; try again' } satisfies ErrorBody);
      return;
    }
    if (error instanceof ServiceUnavailableError) {
      logger.warn('dependency unavailable', { appId: error.appId, path: req.path });
      res.status(503).json({ code: 'UNAVAILABLE', message: error.message } satisfies ErrorBody);
      return;
    }
    if (isBodyParserError(error)) {
      res.status(400).json({ code: 'BAD_USER_INPUT', message: 'request body is not valid JSON' } satisfies ErrorBody);
      return;
    }
    logger.error('unhandled error', { path: req.path, method: req.method, error: describe(error) });
    res.status(500).json({ code: 'INTERNAL', message: 'internal error' } satisfies ErrorBody);
  };

const isBodyParserError = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { type?: string }).type === 'entity.parse.failed';

export const describe = (error: unknown): { name?: string; message: string; stack?: string } =>
  error instanceof Error
    ? { name: error.name, message: error.message, stack: error.stack }
    : { message: String(error) };

const ROLES: readonly Role[] = ['PARENT', 'NANNY', 'ADMIN'];

/** The caller the gateway named in the internal headers; undefined when there is none. */
export const actorFrom = (req: Request): Actor | undefined => {
  const username = req.header(Headers.callerUsername);
  if (!username) return undefined;
  const roles = (req.header(Headers.callerRoles) ?? '')
    .split(',')
    .map((role) => role.trim())
    .filter((role): role is Role => (ROLES as readonly string[]).includes(role));
  return { username, roles };
};

export const requireActor = (req: Request): Actor => {
  const actor = actorFrom(req);
  if (!actor) throw new AppError('UNAUTHENTICATED', 'no caller identity on the request');
  return actor;
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

/** An express app with JSON bodies, request ids, health endpoints and the shared error mapping. */
export const createServiceApp = (
  logger: Logger,
  mount: (app: express.Express) => void,
  readiness?: Readiness,
): express.Express => {
  const app = express();
  app.disable('x-powered-by');
  app.use(healthRouter(readiness));
  app.use(requestIdMiddleware);
  app.use(express.json({ limit: '256kb', type: ['application/json', 'application/*+json'] }));
  mount(app);
  app.use((req, res) => {
    res.status(404).json({ code: 'NOT_FOUND', message: `no route ${req.method} ${req.path}` } satisfies ErrorBody);
  });
  app.use(errorHandler(logger));
  return app;
};
