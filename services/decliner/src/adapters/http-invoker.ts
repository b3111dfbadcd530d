import { Headers } from '@sitter/contracts';
import { ServiceUnavailableError, type InvokeRequest, type InvokeResponse, type Invoker } from '@sitter/ports';
import { currentRequestId } from '@sitter/platform';

/** Dapr's service-invocation API on the sidecar's HTTP port; `{appId}` is replaced per call. */
export const daprInvokeUrl = (daprHttpPort: number): string =>
  `http://127.0.0.1:${daprHttpPort}/v1.0/invoke/{appId}/method`;

/**
 * Service invocation over plain HTTP: `<baseUrl with {appId}><path>`. Pointed at the Dapr sidecar
 * it is Dapr service invocation; pointed at an app it calls that app directly (tests do that).
 * Rejects with ServiceUnavailableError only when no answer came (refused, reset, timed out).
 */
export class HttpInvoker implements Invoker {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
    /** Sent as `dapr-api-token` (the sidecar's token); never logged. */
    private readonly apiToken?: string,
  ) {}

  async invoke<T = unknown>(appId: string, request: InvokeRequest): Promise<InvokeResponse<T>> {
    const url = `${this.baseUrl.replace('{appId}', encodeURIComponent(appId))}${request.path}`;
    const requestId = currentRequestId();
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...(requestId ? { [Headers.requestId]: requestId } : {}),
      ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...request.headers,
      ...(this.apiToken ? { 'dapr-api-token': this.apiToken } : {}),
    };
    try {
      const response = await fetch(url, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await response.text();
      const isJson = (response.headers.get('content-type') ?? '').includes('json');
      return { status: response.status, body: (isJson && text ? JSON.parse(text) : text) as T };
    } catch (error) {
      throw new ServiceUnavailableError(appId, error);
    }
  }
}
