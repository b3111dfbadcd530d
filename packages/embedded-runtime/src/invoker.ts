import { inject, type DispatchFunc } from 'light-my-request';
import { ServiceUnavailableError, type InvokeRequest, type InvokeResponse, type Invoker } from '@sitter/ports';
import { Headers } from '@sitter/contracts';
import { currentRequestId } from '@sitter/platform';

/**
 * Service invocation inside one process: requests are injected into the target app's HTTP
 * handler without a socket, so they go through its routing, body parsing and error mapping
 * exactly as a sidecar-delivered request would.
 */
export class EmbeddedInvoker implements Invoker {
  private readonly apps = new Map<string, DispatchFunc>();

  register(appId: string, handler: DispatchFunc): void {
    this.apps.set(appId, handler);
  }

  unregister(appId: string): void {
    this.apps.delete(appId);
  }

  async invoke<T = unknown>(appId: string, request: InvokeRequest): Promise<InvokeResponse<T>> {
    const app = this.apps.get(appId);
    if (!app) throw new ServiceUnavailableError(appId);
    const requestId = currentRequestId();
    const headers: Record<string, string> = { ...(requestId ? { [Headers.requestId]: requestId } : {}), ...request.headers };
    const hasBody = request.body !== undefined;
    if (hasBody) headers['content-type'] = 'application/json';
    const response = await inject(app, {
      method: request.method,
      url: request.path,
      headers,
      payload: hasBody ? JSON.stringify(request.body) : undefined,
    });
    const text = response.payload;
    const isJson = (response.headers['content-type'] ?? '').toString().includes('json');
    return { status: response.statusCode, body: (isJson && text ? JSON.parse(text) : text) as T };
  }
}
