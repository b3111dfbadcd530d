import type { AppId } from '@sitter/contracts';
import { AppError, ServiceUnavailableError, type Actor, type HttpMethod, type Invoker } from '@sitter/ports';
import { ServiceCaller } from '@sitter/platform';
import { graphQLError } from '../graphql/errors';

/**
 * Calls the services on behalf of one GraphQL request through the platform's ServiceCaller (caller and request id
 * on every call), and turns what it throws into GraphQL errors with a stable code.
 */
export class ServiceClient {
  private readonly caller: ServiceCaller;

  constructor(invoker: Invoker, requestId: string, actor?: Actor) {
    this.caller = new ServiceCaller(invoker, { requestId, actor });
  }

  call<T>(appId: AppId, method: HttpMethod, path: string, body?: unknown): Promise<T> {
    return asGraphQLErrors(appId, () => this.caller.call<T>(appId, method, path, body));
  }

  /** Like call, but a NOT_FOUND answer is null (for nullable queries). */
  find<T>(appId: AppId, path: string): Promise<T | null> {
    return asGraphQLErrors(appId, () => this.caller.find<T>(appId, path));
  }
}

const asGraphQLErrors = async <T>(appId: AppId, call: () => Promise<T>): Promise<T> => {
  try {
    return await call();
  } catch (error) {
    if (error instanceof AppError) {
      throw graphQLError(error.code, error.message, error.field ? { field: error.field } : {});
    }
    if (error instanceof ServiceUnavailableError) {
      // A dependency of the service (or the service itself) is down: say when to try again, as RATE_LIMITED does.
      throw graphQLError('SERVICE_UNAVAILABLE', `the ${appId} service is unavailable; try again shortly`, {
        retryAfterSeconds: error.retryAfterSeconds,
      });
    }
    throw error;
  }
};
