import type { Plugin } from 'graphql-yoga';
import { RateLimitedError, RateLimitStoreUnavailableError, type ApiKeyGuard } from '../auth';
import type { GatewayContext } from '../graphql/context';
import { graphQLError } from '../graphql/errors';
import { requestWeight } from './request-weight';

/** RATE_LIMITED, HTTP 429 with retry-after. */
export const rateLimited = (error: RateLimitedError) =>
  graphQLError('RATE_LIMITED', error.message, {
    retryAfterSeconds: error.retryAfterSeconds,
    http: { status: 429, headers: { 'retry-after': String(error.retryAfterSeconds) } },
  });

/**
 * SERVICE_UNAVAILABLE, HTTP 503 with retry-after: the shared rate limits cannot be reached, so an API-key request is
 * refused rather than run unmetered (fail closed).
 */
export const rateLimitsUnavailable = (error: RateLimitStoreUnavailableError) =>
  graphQLError('SERVICE_UNAVAILABLE', error.message, {
    retryAfterSeconds: error.retryAfterSeconds,
    http: { status: 503, headers: { 'retry-after': String(error.retryAfterSeconds) } },
  });

/** Charges an API key the weight of the operation it runs (see requestWeight), just before it runs. */
export const apiKeyCharging = (apiKeys: ApiKeyGuard): Plugin<GatewayContext> => ({
  async onExecute({ args, setResultAndStopExecution }) {
    const { apiKey } = args.contextValue;
    if (apiKey === undefined) return;
    try {
      await apiKeys.charge(apiKey, requestWeight(args.document, args.operationName, args.variableValues ?? {}));
    } catch (error) {
      if (error instanceof RateLimitedError) setResultAndStopExecution({ errors: [rateLimited(error)] });
      else if (error instanceof RateLimitStoreUnavailableError) {
        setResultAndStopExecution({ errors: [rateLimitsUnavailable(error)] });
      } else throw error;
    }
  },
});
