import type { AppId, Route } from '@sitter/contracts';
import { AppError, ServiceUnavailableError, type Actor, type Invoker } from '@sitter/ports';
import { ServiceCaller, type CallArgs } from '@sitter/platform';
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

  call<T, R extends Route = Route>(route: R, ...args: CallArgs<R, T>): Promise<T> {
    return asGraphQLErrors(route.appId, () => this.caller.call<T, R>(route, ...args));
  }

  /** Like call, but a NOT_FOUND answer is null (for nullable queries). */
  find<T, R extends Route = Route>(route: R, ...args: CallArgs<R, T>): Promise<T | null> {
    return asGraphQLErrors(route.appId, () => this.caller.find<T, R>(route, ...args));
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
