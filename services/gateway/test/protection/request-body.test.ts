import { request, type Server } from 'node:http';
import { close, listen } from '@sitter/platform';
import { startGateway, type GatewayFixture } from './gateway-fixture';

interface RawAnswer {
  status: number;
  body: { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> };
}

/** POSTs JSON over HTTP, either with a content-length or chunked (no length announced). */
const postOverHttp = (port: number, body: string, framing: 'content-length' | 'chunked') =>
  new Promise<RawAnswer>((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (framing === 'content-length') headers['content-length'] = String(Buffer.byteLength(body));
    const req = request({ host: '127.0.0.1', port, path: '/graphql', method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as RawAnswer['body'] }));
    });
    req.on('error', reject);
    if (framing === 'chunked') {
      for (let offset = 0; offset < body.length; offset += 1024) req.write(body.slice(offset, offset + 1024));
      req.end();
    } else {
      req.end(body);
    }
  });

/** A valid request padded with an unused variable to `bytes` bytes. */
const paddedTo = (bytes: number): string => {
  const head = '{"query":"{ __typename }","variables":{"padding":"';
  return `${head}${'x'.repeat(bytes - head.length - 3)}"}}`;
};

describe('request body limit', () => {
  let gateway: GatewayFixture;
  let server: Server;
  let port: number;
  beforeAll(async () => {
    gateway = await startGateway({ MAX_REQUEST_BODY_BYTES: '2048' });
    ({ server, port } = await listen(gateway.app, 0, '127.0.0.1'));
  });
  afterAll(async () => {
    await close(server);
    await gateway.stop();
  });

  it.each(['content-length', 'chunked'] as const)(
    'when a %s body is exactly at MAX_REQUEST_BODY_BYTES, then it is served',
    async (framing) => {
      const answer = await postOverHttp(port, paddedTo(2048), framing);

      expect(answer).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
    },
  );

  it('when content-length announces more than MAX_REQUEST_BODY_BYTES, then it is refused with 413 before parsing', async () => {
    const answer = await postOverHttp(port, paddedTo(2049), 'content-length');

    expect(answer.status).toBe(413);
    expect(answer.body.errors?.map((error) => error.extensions?.code)).toEqual(['REQUEST_ENTITY_TOO_LARGE']);
  });

  it('when a chunked body grows past MAX_REQUEST_BODY_BYTES, then reading stops with 413', async () => {
    const answer = await postOverHttp(port, paddedTo(64 * 1024), 'chunked');

    expect(answer.status).toBe(413);
    expect(answer.body.errors?.map((error) => error.extensions?.code)).toEqual(['REQUEST_ENTITY_TOO_LARGE']);
  });
});
