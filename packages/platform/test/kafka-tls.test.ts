import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer, type ConnectionOptions, type Server } from 'node:tls';
import { kafkaTls } from '../src/kafka-connection';

/** The outcome of a TLS handshake with `options` (what kafkajs passes to tls.connect as its `ssl` setting). */
const handshake = (port: number, options: ConnectionOptions): Promise<'trusted' | string> =>
  new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ...options }, () => {
      socket.end();
      resolve('trusted');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });

describe('kafkaTls', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kafka-ca-'));
  const caFile = join(dir, 'ca.crt');
  let server: Server;
  let port: number;

  beforeAll(async () => {
    // A self-signed certificate stands for a broker whose certificate is its own CA (like Strimzi's cluster CA).
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost',
        '-keyout',
        join(dir, 'broker.key'),
        '-out',
        caFile,
      ],
      { stdio: 'ignore' },
    );
    server = createServer({ key: readFileSync(join(dir, 'broker.key')), cert: readFileSync(caFile) }, (socket) =>
      socket.end(),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('when TLS is off, then kafkajs gets no TLS settings', () => {
    expect(kafkaTls(false, caFile)).toBe(false);
  });

  it('when the broker’s certificate chains to the given CA file, then the handshake trusts it', async () => {
    const options = kafkaTls(true, caFile);

    expect(typeof options).toBe('object');
    expect(await handshake(port, options as ConnectionOptions)).toBe('trusted');
  });

  it('when no CA file is given, then only the system’s CAs are trusted and a private CA’s broker is refused', async () => {
    const options = kafkaTls(true);

    expect(options).toBe(true);
    expect(await handshake(port, {})).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
  });
});
