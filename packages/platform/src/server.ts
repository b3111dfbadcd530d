import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';
import { createServer } from 'node:http';

/** Listens on the port (0 = any free one) and resolves with the bound port. */
export const listen = (
  handler: RequestListener,
  port: number,
  host = '0.0.0.0',
): Promise<{ server: Server; port: number }> =>
  new Promise((resolve, reject) => {
    const server = createServer(handler);
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({ server, port: (server.address() as AddressInfo).port });
    });
  });

export const close = (server: Server): Promise<void> =>
  new Promise((resolve, reject) => {
    server.closeAllConnections?.();
    server.close((error) => (error ? reject(error) : resolve()));
  });

/** Calls `stop` once on SIGINT/SIGTERM, then exits. */
export const onShutdown = (stop: () => Promise<void>, log: (message: string) => void): void => {
  let stopping = false;
  const handle = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`received ${signal}, shutting down`);
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => handle('SIGINT'));
  process.on('SIGTERM', () => handle('SIGTERM'));
};
