import { createServer, request as httpRequest, type RequestListener, type Server } from 'node:http';
import { Duplex, PassThrough } from 'node:stream';
import { ServiceUnavailableError, type InvokeRequest, type InvokeResponse, type Invoker } from '@sitter/ports';
import { Headers } from '@sitter/contracts';
import { currentRequestId, directDispatcherOf, type DirectDispatcher } from '@sitter/platform';

/** Anything node:http can serve: an express app, a plain request listener. */
export type AppHandler = RequestListener;

/**
 * Service invocation inside one process. Apps built with createServiceApp are called through
 * their operations directly (the request and answer still cross as JSON copies, and errors map
 * exactly as over HTTP); any other app gets a real HTTP/1.1 exchange between node's own client
 * and server over an in-memory stream pair, through its routing, body parsing and error mapping.
 */
export class EmbeddedInvoker implements Invoker {
  /** Never listening: a server here only parses what it is handed. */
  private readonly apps = new Map<string, { server: Server; direct?: DirectDispatcher }>();

  register(appId: string, handler: AppHandler): void {
    this.apps.set(appId, { server: createServer(handler), direct: directDispatcherOf(handler) });
  }

  unregister(appId: string): void {
    this.apps.delete(appId);
  }

  async invoke<T = unknown>(appId: string, request: InvokeRequest): Promise<InvokeResponse<T>> {
    const app = this.apps.get(appId);
    if (!app) throw new ServiceUnavailableError(appId);
    const requestId = currentRequestId();
    const headers: Record<string, string> = {
      ...(requestId ? { [Headers.requestId]: requestId } : {}),
      ...request.headers,
    };
    const direct = app.direct?.dispatch(request.method, request.path, headers, request.body);
    if (direct) return (await direct) as InvokeResponse<T>;
    const payload = request.body === undefined ? undefined : Buffer.from(JSON.stringify(request.body));
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(payload.length);
    }
    const { status, contentType, text } = await exchange(app.server, appId, request, headers, payload);
    const isJson = contentType.includes('json');
    return { status, body: (isJson && text ? JSON.parse(text) : text) as T };
  }
}

interface RawResponse {
  status: number;
  contentType: string;
  text: string;
}

const exchange = (
  server: Server,
  appId: string,
  request: InvokeRequest,
  headers: Record<string, string>,
  payload: Buffer | undefined,
): Promise<RawResponse> =>
  new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        method: request.method,
        path: request.path,
        host: appId,
        headers,
        createConnection: () => {
          const [clientEnd, serverEnd] = streamPair();
          // node:http serves any duplex stream handed to it this way (documented on 'connection').
          server.emit('connection', serverEnd);
          return clientEnd;
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) => reject(new ServiceUnavailableError(appId, error)));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            contentType: String(response.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    // The app dropped the exchange without answering, as a crashed app would.
    outgoing.on('error', (error) => reject(new ServiceUnavailableError(appId, error)));
    outgoing.end(payload);
  });

/** Two connected ends: what one writes, the other reads. */
const streamPair = (): [Duplex, Duplex] => {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  return [
    Duplex.from({ readable: toClient, writable: toServer }),
    Duplex.from({ readable: toServer, writable: toClient }),
  ];
};
