import { Headers, type AppId } from '@sitter/contracts';
import {
  DEFAULT_RETRY_AFTER_SECONDS,
  ServiceUnavailableError,
  type Actor,
  type ErrorCode,
  type HttpMethod,
  type Invoker,
} from '@sitter/ports';
import { actorHeaders, type ErrorBody } from '@sitter/platform';
import { graphQLError } from '../graphql/errors';

const PUBLIC_CODES: readonly string[] = ['BAD_USER_INPUT', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT'];

/** What a service answered on error, as far as it can be trusted to have been said. */
type AnsweredError = Partial<ErrorBody>;

/**
 * Calls the services on behalf of one GraphQL request: names the caller and the request id
 * on every call, and turns error answers back into GraphQL errors with a stable code.
 */
export class ServiceClient {
  constructor(
    private readonly invoker: Invoker,
    private readonly requestId: string,
    private readonly actor?: Actor,
  ) {}

  async call<T>(appId: AppId, method: HttpMethod, path: string, body?: unknown): Promise<T> {
    const response = await this.send(appId, method, path, body);
    if (response.status >= 200 && response.status < 300) return response.body as T;
    throw this.toGraphQLError(appId, response.status, response.body as AnsweredError);
  }

  /** Like call, but a NOT_FOUND answer is null (for nullable queries). */
  async find<T>(appId: AppId, path: string): Promise<T | null> {
    const response = await this.send(appId, 'GET', path);
    if (response.status === 404) return null;
    if (response.status >= 200 && response.status < 300) return response.body as T;
    throw this.toGraphQLError(appId, response.status, response.body as AnsweredError);
  }

  private async send(appId: AppId, method: HttpMethod, path: string, body?: unknown) {
    const headers = { [Headers.requestId]: this.requestId, ...(this.actor ? actorHeaders(this.actor) : {}) };
    try {
      return await this.invoker.invoke(appId, { method, path, body, headers });
    } catch (error) {
      if (error instanceof ServiceUnavailableError) throw unavailable(appId);
      throw error;
    }
  }

  private toGraphQLError(appId: AppId, status: number, body: AnsweredError | undefined) {
    const code = body?.code ?? '';
    if (PUBLIC_CODES.includes(code)) {
      return graphQLError(code as ErrorCode, body?.message ?? code, body?.field ? { field: body.field } : {});
    }
    if (status === 503 || code === 'UNAVAILABLE') return unavailable(appId, body?.retryAfterSeconds);
    return graphQLError('INTERNAL_SERVER_ERROR', 'unexpected error');
  }
}

/** A dependency of the service (or the service itself) is down: say when to try again, as RATE_LIMITED does. */
const unavailable = (appId: AppId, retryAfterSeconds: unknown = DEFAULT_RETRY_AFTER_SECONDS) =>
  graphQLError('SERVICE_UNAVAILABLE', `the ${appId} service is unavailable; try again shortly`, {
    retryAfterSeconds:
      typeof retryAfterSeconds === 'number' && retryAfterSeconds > 0 ? retryAfterSeconds : DEFAULT_RETRY_AFTER_SECONDS,
  });
