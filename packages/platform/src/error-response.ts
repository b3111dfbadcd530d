import { AppError, ConcurrencyConflictError, DependencyUnavailableError } from '@sitter/ports';
import type { Logger } from './logger';

const STATUS_BY_CODE: Record<AppError['code'], number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
};

/** The JSON body of every error a service answers; the gateway turns it back into a GraphQL error. */
export interface ErrorBody {
  code: AppError['code'] | 'UNAVAILABLE' | 'INTERNAL';
  message: string;
  field?: string;
  /** With UNAVAILABLE: when trying again makes sense (also the Retry-After header over HTTP). */
  retryAfterSeconds?: number;
}

/** How any error thrown by an operation is answered, on every transport. */
export const errorResponse = (
  error: unknown,
  logger: Logger,
  where: { method: string; path: string },
): { status: number; body: ErrorBody } => {
  if (error instanceof AppError) {
    return {
      status: STATUS_BY_CODE[error.code],
      body: { code: error.code, message: error.message, field: error.field },
    };
  }
  if (error instanceof ConcurrencyConflictError) {
    return { status: 409, body: { code: 'CONFLICT', message: 'the record changed concurrently; try again' } };
  }
  if (error instanceof DependencyUnavailableError) {
    logger.warn('dependency unavailable', { dependency: error.dependency, reason: error.message, ...where });
    return {
      status: 503,
      body: { code: 'UNAVAILABLE', message: error.message, retryAfterSeconds: error.retryAfterSeconds },
    };
  }
  logger.error('unhandled error', { ...where, error: describe(error) });
  return { status: 500, body: { code: 'INTERNAL', message: 'internal error' } };
};

export const describe = (error: unknown): { name?: string; message: string; stack?: string } =>
  error instanceof Error
    ? { name: error.name, message: error.message, stack: error.stack }
    : { message: String(error) };
