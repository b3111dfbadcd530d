import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { ServiceUnavailableError, type HttpMethod, type Invoker } from '@sitter/ports';
import { runWithRequestId } from '@sitter/platform';
import { unique } from './wait-for';

export interface InvokerHarness {
  invoker: Invoker;
  /**
   * Makes `target` reachable through the invoker and returns the app id to call it by
   * (the embedded runtime registers it; a Dapr harness serves it behind a sidecar).
   */
  serve(target: RequestListener): Promise<string>;
  teardown(): Promise<void>;
}

/** What the echo target saw, as it answers it. */
interface Echo {
  answeredWith: number;
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * A plain node:http target (no framework, so every transport can host it): it answers JSON
 * describing the request, with status 200, or N for paths `/respond/N`.
 */
const echoTarget: RequestListener = (request: IncomingMessage, response: ServerResponse) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const url = new URL(request.url ?? '/', 'http://target.invalid');
    const text = Buffer.concat(chunks).toString('utf8');
    const requested = /^\/respond\/(\d{3})$/.exec(url.pathname);
    const status = requested ? Number(requested[1]) : 200;
    const echo: Echo = {
      answeredWith: status,
      method: request.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: text === '' ? null : (JSON.parse(text) as unknown),
      headers: request.headers,
    };
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(echo));
  });
};

/** The behaviour every Invoker adapter must have (embedded, Dapr service invocation). */
export const invokerContract = (name: string, harness: () => Promise<InvokerHarness>): void => {
  describe(`Invoker contract: ${name}`, () => {
    let subject: InvokerHarness;
    let appId: string;

    beforeEach(async () => {
      subject = await harness();
      appId = await subject.serve(echoTarget);
    });

    afterEach(async () => {
      await subject.teardown();
    });

    it.each<HttpMethod>(['POST', 'PUT', 'PATCH'])(
      'when a %s with a query, JSON body and headers is invoked, then the target receives all of them',
      async (method) => {
        const body = { name: 'Ada', tags: ['a', 'b'], nested: { n: 1 } };

        const response = await subject.invoker.invoke<Echo>(appId, {
          method,
          path: '/things/42?filter=open&limit=20',
          body,
          headers: { 'x-contract-header': 'present', 'x-sitter-username': 'ada' },
        });

        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({
          method,
          path: '/things/42',
          query: { filter: 'open', limit: '20' },
          body,
        });
        expect(response.body.headers['x-contract-header']).toBe('present');
        expect(response.body.headers['x-sitter-username']).toBe('ada');
        expect(response.body.headers['content-type']).toContain('application/json');
      },
    );

    it.each<HttpMethod>(['GET', 'DELETE'])(
      'when a %s without a body is invoked, then the target receives no body',
      async (method) => {
        const response = await subject.invoker.invoke<Echo>(appId, { method, path: '/things/42?x=1' });

        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({ method, path: '/things/42', query: { x: '1' }, body: null });
      },
    );

    it.each([201, 202, 400, 403, 404, 409])(
      'when the target answers %i, then that status and its JSON body come back without an error',
      async (status) => {
        const response = await subject.invoker.invoke<Echo>(appId, {
          method: 'POST',
          path: `/respond/${status}`,
          body: { any: 'thing' },
        });

        expect(response.status).toBe(status);
        expect(response.body).toMatchObject({ answeredWith: status, body: { any: 'thing' } });
      },
    );

    it('when the app id is unknown, then the call fails with ServiceUnavailableError', async () => {
      const unknown = unique('no-such-app');

      const error = await subject.invoker.invoke(unknown, { method: 'GET', path: '/' }).then(
        () => undefined,
        (rejection: unknown) => rejection,
      );

      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect((error as ServiceUnavailableError).appId).toBe(unknown);
    });

    it('when invoked inside a request, then the request id is forwarded as x-request-id', async () => {
      const requestId = unique('request');

      const response = await runWithRequestId(requestId, () =>
        subject.invoker.invoke<Echo>(appId, { method: 'GET', path: '/traced' }),
      );

      expect(response.body.headers['x-request-id']).toBe(requestId);
    });
  });
};
