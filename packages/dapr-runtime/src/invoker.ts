import { Headers } from '@sitter/contracts';
import { ServiceUnavailableError, type InvokeRequest, type InvokeResponse, type Invoker } from '@sitter/ports';
import { currentRequestId } from '@sitter/platform';
import type { SidecarConnection } from './sidecar-connection';
import { failureFromBody } from './sidecar-errors';

/**
 * daprd's own answer when it could not get the call to the target app: the app id is unknown to name resolution,
 * its sidecar or the app itself does not answer, a resiliency timeout or open circuit breaker. Anything the target
 * app answered comes back with the app's own status and body instead.
 */
const DIRECT_INVOKE_FAILED = 'ERR_DIRECT_INVOKE';

/**
 * The Invoker port on Dapr service invocation (HTTP, through this app's sidecar), forwarding the current request
 * id as x-request-id and the caller's headers. Plain HTTP rather than the SDK's invoker: that one throws on any
 * non-2xx answer, and the port returns the target's 4xx and 5xx answers with their status.
 */
export class DaprInvoker implements Invoker {
  constructor(
    private readonly sidecar: SidecarConnection,
    /** Longest one call may take, answer included; past it the call fails with ServiceUnavailableError. */
    private readonly options: { timeoutMs?: number } = {},
  ) {}

  async invoke<T = unknown>(appId: string, request: InvokeRequest): Promise<InvokeResponse<T>> {
    const requestId = currentRequestId();
    const headers: Record<string, string> = {
      ...(requestId ? { [Headers.requestId]: requestId } : {}),
      ...request.headers,
    };
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const path = request.path.startsWith('/') ? request.path : `/${request.path}`;

    let response: Response;
    let text: string;
    try {
      response = await this.sidecar.request(`/v1.0/invoke/${encodeURIComponent(appId)}/method${path}`, {
        method: request.method,
        headers,
        body,
        signal: this.options.timeoutMs === undefined ? undefined : AbortSignal.timeout(this.options.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      // The sidecar itself is unreachable, or the call outlasted the timeout.
      throw new ServiceUnavailableError(appId, error);
    }
    const contentType = response.headers.get('content-type') ?? '';
    if (response.status >= 500 && contentType.includes('json')) {
      const failure = failureFromBody(response.status, text);
      if (failure.errorCode === DIRECT_INVOKE_FAILED)
        throw new ServiceUnavailableError(appId, new Error(failure.message));
    }
    const isJson = contentType.includes('json');
    return { status: response.status, body: (isJson && text ? JSON.parse(text) : text) as T };
  }
}
