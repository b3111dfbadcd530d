import type { Actor, HttpMethod } from '@sitter/ports';
import { AppError, checkId, checkUsername } from '@sitter/ports';
import type { Logger } from './logger';

/** What a service operation sees of a request, whichever transport delivered it. */
export interface OperationRequest {
  params: Readonly<Record<string, string>>;
  /** First value of each query parameter. */
  query: Readonly<Record<string, string | undefined>>;
  body: unknown;
  /** The caller the gateway named in the internal headers, if any. */
  actor: Actor | undefined;
  /** The request id this request runs under (the caller's, or a new one). */
  requestId: string;
}

/**
 * One route of a service's invocation API. Express serves it over HTTP (the Dapr path);
 * the embedded invoker calls it directly. Both answer the same status and JSON body.
 */
export interface Operation {
  method: HttpMethod;
  /** Express-style path: literal segments and `:name` parameters. */
  path: string;
  /** Status of a successful answer; 200 unless set. */
  status?: number;
  /**
   * What each `:name` of the path holds. Every parameter is checked before `handle` runs, on
   * every transport: an `id` (the default) against the id alphabet, a `username` against the
   * username rule, and made canonical. A bad one is BAD_USER_INPUT naming the parameter.
   */
  params?: Readonly<Record<string, PathParamKind>>;
  handle(request: OperationRequest): Promise<unknown>;
}

export type PathParamKind = 'id' | 'username';

/** The operation's path parameters, checked (and usernames made canonical); throws BAD_USER_INPUT. */
export const checkedParams = (
  operation: Pick<Operation, 'params'>,
  raw: Readonly<Record<string, string>>,
): Record<string, string> =>
  Object.fromEntries(
    Object.entries(raw).map(([name, value]) => [
      name,
      operation.params?.[name] === 'username' ? checkUsername(name, value) : checkId(name, value),
    ]),
  );

export const requireActor = (request: { actor: Actor | undefined }): Actor => {
  if (!request.actor) throw new AppError('UNAUTHENTICATED', 'no caller identity on the request');
  return request.actor;
};

/**
 * One debug line per handled operation, on every transport; the request id comes from the context.
 * Debug, not info: the gateway already logs each request at info, and a line per hop costs throughput.
 */
export const logHandled = (logger: Logger, operation: Operation, status: number, startedAt: number): void => {
  if (!logger.isDebugEnabled()) return;
  logger.debug('operation handled', {
    method: operation.method,
    route: operation.path,
    status,
    durationMs: Math.round((performance.now() - startedAt) * 10) / 10,
  });
};
