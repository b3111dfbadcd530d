import { CommunicationProtocolEnum, DaprClient, LogLevel, type LoggerService } from '@dapr/dapr';
import type { Logger } from '@sitter/platform';
import { SidecarError } from './sidecar-errors';

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
 * The SDK reports failures it also returns to us, and at debug level it prints request headers (the API token
 * among them). Only its warnings and errors are passed on, at debug level: the adapters raise what matters.
 */
const sdkLogService = (logger: Logger): LoggerService => {
  const forward = (message: unknown) => logger.debug(String(message), { source: '@dapr/dapr' });
  return { error: forward, warn: forward, info: forward, verbose: forward, debug: forward };
};

/** One app's way to its sidecar: the @dapr/dapr client, and the plain HTTP API for what the SDK does not expose. */
export class SidecarConnection {
  readonly baseUrl: string;
  readonly client: DaprClient;
  private readonly apiToken?: string;

  constructor(address: SidecarAddress, logger: Logger) {
    const host = address.daprHost ?? '127.0.0.1';
    this.baseUrl = `http://${host}:${address.daprHttpPort}`;
    this.apiToken = address.apiToken;
    this.client = new DaprClient({
      daprHost: host,
      daprPort: String(address.daprHttpPort),
      communicationProtocol: CommunicationProtocolEnum.HTTP,
      daprApiToken: address.apiToken,
      logger: { level: LogLevel.Warn, service: sdkLogService(logger) },
    });
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
}
