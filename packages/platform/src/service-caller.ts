import { Headers, routePath, type Route, type RouteArgs, type RouteInput } from '@sitter/contracts';
import {
  AppError,
  ServiceUnavailableError,
  type Actor,
  type ErrorCode,
  type InvokeResponse,
  type Invoker,
} from '@sitter/ports';
import type { ZodType } from 'zod';
import { actorHeaders } from './actor-headers';
import type { ErrorBody } from './error-response';

/** A call's input, with the shape its answer must have (checked when given). */
export type CallArgs<R extends Route, T> =
  RouteArgs<R> extends [input?: RouteInput<R>]
    ? [input?: RouteInput<R> & { answer?: ZodType<T> }]
    : [input: RouteInput<R> & { answer?: ZodType<T> }];

/** Who a call is made for: the caller's identity and the request it serves travel with every call. */
export interface CallOrigin {
  actor?: Actor;
  requestId?: string;
}

const CODE_BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
};

const PUBLIC_CODES: ReadonlySet<string> = new Set(Object.values(CODE_BY_STATUS));

/**
 * What an error answer of another service means to its caller: the AppError the service raised (same code, message
 * and field), or, for anything else (503, other 5xx, a status no service answers on purpose), ServiceUnavailableError
 * with the service's own retry hint. `route` names the call in logs, never in a message a public caller may see.
 */
export const errorFromAnswer = (appId: string, route: string, response: InvokeResponse<unknown>): Error => {
  const body: Partial<ErrorBody> =
    typeof response.body === 'object' && response.body !== null ? (response.body as Partial<ErrorBody>) : {};
  const code =
    typeof body.code === 'string' && PUBLIC_CODES.has(body.code) ? body.code : CODE_BY_STATUS[response.status];
  if (code === undefined) {
    const retryAfter =
      typeof body.retryAfterSeconds === 'number' && body.retryAfterSeconds > 0 ? body.retryAfterSeconds : undefined;
    return new ServiceUnavailableError(appId, new Error(`${route} answered ${response.status}`), retryAfter);
  }
  const message = typeof body.message === 'string' ? body.message : `the ${appId} service refused the request`;
  return new AppError(code as ErrorCode, message, typeof body.field === 'string' ? body.field : undefined);
};

/**
 * The one way a service (or the gateway) calls another: names the caller and the request on every call, turns a
 * failure to reach the service into ServiceUnavailableError and an error answer into errorFromAnswer's error, and,
 * given a schema, checks the answer's shape (a service answering another shape is treated as unavailable).
 */
export class ServiceCaller {
  constructor(
    private readonly invoker: Invoker,
    private readonly origin: CallOrigin = {},
  ) {}

  /** The answer as it came, whatever its status. */
  async send<T = unknown, R extends Route = Route>(route: R, ...[input]: RouteArgs<R>): Promise<InvokeResponse<T>> {
    const { actor, requestId } = this.origin;
    const headers = { ...(requestId ? { [Headers.requestId]: requestId } : {}), ...(actor ? actorHeaders(actor) : {}) };
    const path = routePath(route, input?.params, input?.query);
    try {
      return await this.invoker.invoke<T>(route.appId, { method: route.method, path, body: input?.body, headers });
    } catch (error) {
      throw error instanceof ServiceUnavailableError ? error : new ServiceUnavailableError(route.appId, error);
    }
  }

  /** A 2xx answer's body (in the `answer` shape, when given); any other answer thrown as errorFromAnswer says. */
  async call<T, R extends Route = Route>(route: R, ...[input]: CallArgs<R, T>): Promise<T> {
    const response = await this.send(route, ...([input] as RouteArgs<R>));
    const name = `${route.method} ${route.path}`;
    if (response.status < 200 || response.status >= 300) throw errorFromAnswer(route.appId, name, response);
    return parseAnswer(route.appId, name, response.body, input?.answer);
  }

  /** Like call, but NOT_FOUND is null. */
  async find<T, R extends Route = Route>(route: R, ...[input]: CallArgs<R, T>): Promise<T | null> {
    const response = await this.send(route, ...([input] as RouteArgs<R>));
    const name = `${route.method} ${route.path}`;
    if (response.status === 404) return null;
    if (response.status < 200 || response.status >= 300) throw errorFromAnswer(route.appId, name, response);
    return parseAnswer(route.appId, name, response.body, input?.answer);
  }
}

/** An answer's body in the shape the caller expects; another shape means the service is not the one it should be. */
export const parseAnswer = <T>(appId: string, route: string, body: unknown, shape: ZodType<T> | undefined): T => {
  if (!shape) return body as T;
  const parsed = shape.safeParse(body);
  if (!parsed.success) throw new ServiceUnavailableError(appId, new Error(`${route} answered an unexpected shape`));
  return parsed.data;
};
