/**
 * Errors a use case raises for its caller. The code is part of the public API: the
 * gateway exposes it as the GraphQL `extensions.code`.
 */
export type ErrorCode = 'BAD_USER_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The input field at fault, for BAD_USER_INPUT. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badInput = (field: string, message: string) => new AppError('BAD_USER_INPUT', message, field);
export const forbidden = (message: string) => new AppError('FORBIDDEN', message);
export const notFound = (message: string) => new AppError('NOT_FOUND', message);
export const conflict = (message: string) => new AppError('CONFLICT', message);

/** What a caller is told to wait before retrying a request that failed on an unavailable dependency. */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;

/**
 * A dependency (a store, the broker, a sidecar, another service) could not do its part now: the request changed
 * nothing it acknowledged, and the same request may succeed once the dependency is back. Answered as 503
 * UNAVAILABLE with a retry hint, never as an internal error.
 */
export class DependencyUnavailableError extends Error {
  constructor(
    /** What was unavailable, for logs: an app id, "dapr", ... */
    readonly dependency: string,
    message: string,
    options: { cause?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'DependencyUnavailableError';
    this.retryAfterSeconds = options.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS;
  }

  readonly retryAfterSeconds: number;
}
