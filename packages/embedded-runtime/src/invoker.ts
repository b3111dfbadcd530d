import { createServer, request as httpRequest, type RequestListener, type Server } from 'node:http';
import { Duplex, PassThrough } from 'node:stream';
import { ServiceUnavailableError, type InvokeRequest, type InvokeResponse, type Invoker } from '@sitter/ports';
import { Headers } from '@sitter/contracts';
import { currentRequestId } from '@sitter/platform';

/** Anything node:http can serve: an express app, a plain request listener. */
export type AppHandler = RequestListener;

/**
 * Service invocation inside one process: each call is a real HTTP/1.1 exchange between
 * node's own client and server, carried over an in-memory stream pair instead of a socket.
 * Requests therefore go through the target app's routing, body parsing and error mapping
 * exactly as a sidecar-delivered request would, without a port to bind or a file descriptor.
 */
export class EmbeddedInvoker implements Invoker {
  /** Never listening: a server here only parses what it is handed. */
  private readonly apps = new Map<string, Server>();

  register(appId: string, handler: AppHandler): void {
    this.apps.set(appId, createServer(handler));
  }

  unregister(appId: string): void {
    this.apps.delete(appId);
  }

  async invoke<T = unknown>(appId: string, request: InvokeRequest): Promise<InvokeResponse<T>> {
    const server = this.apps.get(appId);
    if (!server) throw new ServiceUnavailableError(appId);
    const requestId = currentRequestId();
    const headers: Record<string, string> = {
      ...(requestId ? { [Headers.requestId]: requestId } : {}),
      ...request.headers,
    };
    const payload = request.body === undefined ? undefined : Buffer.from(JSON.stringify(request.body));
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(payload.length);
    }
    const { status, contentType, text } = await exchange(server, appId, request, headers, payload);
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
