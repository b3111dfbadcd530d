import { AppError, ServiceUnavailableError, type ErrorCode, type InvokeResponse } from '@sitter/ports';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
};

interface ErrorBody {
  message?: unknown;
  field?: unknown;
}

/**
 * Turns another service's refusal back into the AppError it raised, so the caller sees the
 * same code and message; anything else (5xx, unexpected statuses) means the service is unavailable.
 */
export const errorFromResponse = (appId: string, operation: string, response: InvokeResponse<unknown>): Error => {
  const code = CODE_BY_STATUS[response.status];
  if (!code) return new ServiceUnavailableError(appId, new Error(`${operation} answered ${response.status}`));
  const body = (typeof response.body === 'object' && response.body !== null ? response.body : {}) as ErrorBody;
  // The fallback names the service, not the route: a message may reach the public caller.
  const message = typeof body.message === 'string' ? body.message : `the ${appId} service refused the request`;
  return new AppError(code, message, typeof body.field === 'string' ? body.field : undefined);
};

/** Runs an invocation; a failure to reach the service becomes ServiceUnavailableError. */
export const reach = async <T>(appId: string, call: () => Promise<T>): Promise<T> => {
  try {
    return await call();
  } catch (error) {
    throw error instanceof ServiceUnavailableError ? error : new ServiceUnavailableError(appId, error);
  }
};
