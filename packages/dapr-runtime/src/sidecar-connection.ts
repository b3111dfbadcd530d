import { SidecarError, failureFromResponse } from './sidecar-errors';

/** Where an app's sidecar listens. */
export interface SidecarAddress {
  /** The sidecar's HTTP API port (daprd --dapr-http-port). */
  daprHttpPort: number;
  /** 127.0.0.1 unless said otherwise: a sidecar runs next to its app. */
  daprHost?: string;
  /** Sent as `dapr-api-token` when the sidecar requires one; never logged. */
  apiToken?: string;
}

const API_TOKEN_HEADER = 'dapr-api-token';

/**
 * One app's way to its sidecar: Dapr's documented HTTP API, called with fetch (its connections are kept alive and
 * reused). Not the @dapr/dapr SDK: loading it costs each app about 60 MB of memory (its gRPC client and protobuf
 * registries), and the adapters need little of it (several of its calls lose what the ports need: ETags, escaped
 * keys, non-2xx answers).
 */
export class SidecarConnection {
  readonly baseUrl: string;
  private readonly apiToken?: string;

  constructor(address: SidecarAddress) {
    const host = address.daprHost ?? '127.0.0.1';
    this.baseUrl = `http://${host}:${address.daprHttpPort}`;
    this.apiToken = address.apiToken;
  }

  /** A call to the sidecar's documented HTTP API (`path` starts with /v1.0/); fails with SidecarError if unreachable. */
  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.apiToken) headers.set(API_TOKEN_HEADER, this.apiToken);
    try {
      return await fetch(this.baseUrl + path, { ...init, headers });
    } catch (error) {
      const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : '';
      throw new SidecarError(`${init.method ?? 'GET'} ${path.split('?')[0]}`, {
        message: `the sidecar at ${this.baseUrl} did not answer (${reason})`,
      });
    }
  }

  /**
   * POSTs `body` as JSON and resolves with the JSON answer (undefined for an empty one); a non-2xx answer fails with
   * SidecarError naming `operation`, with the sidecar's status and error body.
   */
  async postJson<T>(operation: string, path: string, body: unknown): Promise<T | undefined> {
    const response = await this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new SidecarError(operation, await failureFromResponse(response));
    const text = await response.text();
    return text ? (JSON.parse(text) as T) : undefined;
  }
}
