import { Headers } from '@sitter/contracts';
import type { HttpMethod } from '@sitter/ports';
import { errorResponse } from './error-response';
import { actorFromHeaders } from './actor-headers';
import type { Logger } from './logger';
import { checkedParams, logHandled, type Operation } from './operations';
import { currentRequestId, runWithRequestId } from './request-context';

export interface DirectResponse {
  status: number;
  body: unknown;
}

export interface DirectDispatcher {
  /** Undefined when no operation matches: the caller then falls back to HTTP. */
  dispatch(
    method: HttpMethod,
    pathAndQuery: string,
    headers: Readonly<Record<string, string>>,
    body: unknown,
  ): Promise<DirectResponse> | undefined;
}

interface CompiledOperation {
  operation: Operation;
  pattern: RegExp;
  names: string[];
}

/** Matches like express's default router: case-insensitive, optional trailing slash, decoded parameters. */
const compile = (operation: Operation): CompiledOperation => {
  const names: string[] = [];
  const source = operation.path
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { operation, pattern: new RegExp(`^${source}/?$`, 'i'), names };
};

/** A malformed escape stays as it was: the parameter check then refuses its "%". */
const decodeParam = (value: string): string => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

const copyJson = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

export const createDirectDispatcher = (operations: readonly Operation[], logger: Logger): DirectDispatcher => {
  const compiled = operations.map(compile);
  return {
    dispatch(method, pathAndQuery, headers, body) {
      const [path, search = ''] = pathAndQuery.split('?', 2);
      for (const { operation, pattern, names } of compiled) {
        if (operation.method !== method) continue;
        const match = pattern.exec(path);
        if (!match) continue;
        const params = Object.fromEntries(names.map((name, i) => [name, decodeParam(match[i + 1])]));
        const query: Record<string, string> = {};
        for (const [key, value] of new URLSearchParams(search)) query[key] ??= value;
        const header = (name: string) => headers[name] ?? headers[name.toLowerCase()];
        return runWithRequestId(header(Headers.requestId), async () => {
          const started = performance.now();
          let response: DirectResponse;
          try {
            const result = await operation.handle({
              params: checkedParams(operation, params),
              query,
              body: copyJson(body),
              actor: actorFromHeaders(header),
              requestId: currentRequestId() ?? '',
            });
            response = { status: operation.status ?? 200, body: copyJson(result) };
          } catch (error) {
            const mapped = errorResponse(error, logger, { method, path });
            response = { status: mapped.status, body: copyJson(mapped.body) };
          }
          logHandled(logger, operation, response.status, started);
          return response;
        });
      }
      return undefined;
    },
  };
};

const dispatchers = new WeakMap<object, DirectDispatcher>();

/** Remembers the direct dispatcher of an app built by createServiceApp. */
export const attachDirectDispatcher = (app: object, dispatcher: DirectDispatcher): void => {
  dispatchers.set(app, dispatcher);
};

export const directDispatcherOf = (app: object): DirectDispatcher | undefined => dispatchers.get(app);
