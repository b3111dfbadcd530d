import { Headers, type AppId } from '@sitter/contracts';
import {
  DEFAULT_RETRY_AFTER_SECONDS,
  ServiceUnavailableError,
  canonicalUsername,
  type Actor,
  type ErrorCode,
  type HttpMethod,
  type Invoker,
} from '@sitter/ports';
import { graphQLError } from '../graphql/errors';

const PUBLIC_CODES: readonly string[] = ['BAD_USER_INPUT', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT'];

interface ErrorBody {
  code?: string;
  message?: string;
  field?: string;
  retryAfterSeconds?: number;
}

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
    throw this.toGraphQLError(appId, response.status, response.body as ErrorBody);
  }

  /** Like call, but a NOT_FOUND answer is null (for nullable queries). */
  async find<T>(appId: AppId, path: string): Promise<T | null> {
    const response = await this.send(appId, 'GET', path);
    if (response.status === 404) return null;
    if (response.status >= 200 && response.status < 300) return response.body as T;
    throw this.toGraphQLError(appId, response.status, response.body as ErrorBody);
  }

  private async send(appId: AppId, method: HttpMethod, path: string, body?: unknown) {
    const headers: Record<string, string> = { [Headers.requestId]: this.requestId };
    if (this.actor) {
      // The token's username claim in its canonical spelling: `Alice` and `alice` are one account.
      headers[Headers.callerUsername] = canonicalUsername(this.actor.username);
      headers[Headers.callerRoles] = this.actor.roles.join(',');
    }
    try {
      return await this.invoker.invoke(appId, { method, path, body, headers });
    } catch (error) {
      if (error instanceof ServiceUnavailableError) throw unavailable(appId);
      throw error;
    }
  }

  private toGraphQLError(appId: AppId, status: number, body: ErrorBody | undefined) {
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
