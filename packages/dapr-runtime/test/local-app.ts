import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An app for a sidecar to call: a real HTTP server on 127.0.0.1, on a free port. */
export interface LocalApp {
  port: number;
  close(): Promise<void>;
}

export const serveLocally = (handler: RequestListener): Promise<LocalApp> =>
  new Promise((resolve, reject) => {
    const server = createServer(handler);
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        port,
        close: () =>
          new Promise<void>((done, fail) => {
            server.closeAllConnections();
            server.close((error) => (error ? fail(error) : done()));
          }),
      });
    });
  });
