import { DependencyUnavailableError } from './errors';

/** Request/response calls to another service by its app id, modelled on Dapr service invocation. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface InvokeRequest {
  method: HttpMethod;
  /** Path on the target app, starting with '/', query string included. */
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface InvokeResponse<T = unknown> {
  status: number;
  body: T;
}

export interface Invoker {
  /** Resolves with any HTTP status the target answered; rejects only when it could not be reached. */
  invoke<T = unknown>(appId: string, request: InvokeRequest): Promise<InvokeResponse<T>>;
}

/** The target app could not be reached (its sidecar, the app itself, name resolution). */
export class ServiceUnavailableError extends DependencyUnavailableError {
  constructor(
    readonly appId: string,
    cause?: unknown,
    /** What the service itself said about retrying, when it answered 503. */
    retryAfterSeconds?: number,
  ) {
    super(appId, `service "${appId}" is unavailable`, { cause, retryAfterSeconds });
    this.name = 'ServiceUnavailableError';
  }
}
