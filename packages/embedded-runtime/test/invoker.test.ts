import { notFound } from '@sitter/ports';
import { createLogger, createServiceApp, requireActor } from '@sitter/platform';
import { EmbeddedInvoker } from '../src';

const logger = createLogger('invoker-test', 'silent');

/** A service app built the way every Sitter service builds its own. */
const serviceApp = () =>
  createServiceApp(logger, [
    {
      method: 'GET',
      path: '/things/:id',
      handle: async (request) => {
        if (request.params.id === 'missing') throw notFound('no such thing');
        return { id: request.params.id, caller: requireActor(request).username };
      },
    },
    { method: 'POST', path: '/things', status: 201, handle: async (request) => ({ received: request.body }) },
  ]);

describe('embedded invoker with a service app', () => {
  const invoker = new EmbeddedInvoker();
  invoker.register('things', serviceApp());

  it('when the app raises an AppError, then its mapped status and error body come back', async () => {
    const response = await invoker.invoke('things', {
      method: 'GET',
      path: '/things/missing',
      headers: { 'x-sitter-username': 'ada', 'x-sitter-roles': 'PARENT' },
    });

    expect(response).toEqual({ status: 404, body: { code: 'NOT_FOUND', message: 'no such thing' } });
  });

  it('when the caller headers are set, then the app sees the caller', async () => {
    const response = await invoker.invoke('things', {
      method: 'GET',
      path: '/things/7',
      headers: { 'x-sitter-username': 'ada', 'x-sitter-roles': 'PARENT' },
    });

    expect(response).toEqual({ status: 200, body: { id: '7', caller: 'ada' } });
  });

  it('when 100 calls with large bodies run at once, then each gets its own answer', async () => {
    const calls = Array.from({ length: 100 }, (_, n) =>
      invoker.invoke<{ received: { n: number; filler: string } }>('things', {
        method: 'POST',
        path: '/things',
        body: { n, filler: 'x'.repeat(100_000) },
      }),
    );

    const responses = await Promise.all(calls);

    expect(responses.map((response) => response.body.received.n)).toEqual(Array.from({ length: 100 }, (_, n) => n));
    expect(responses.every((response) => response.status === 201)).toBe(true);
  });

  it('when the app answers without JSON, then the text comes back as the body', async () => {
    const plain = new EmbeddedInvoker();
    plain.register('plain', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('just text');
    });

    expect(await plain.invoke('plain', { method: 'GET', path: '/' })).toEqual({ status: 200, body: 'just text' });
  });

  it('when the app drops the exchange without answering, then the call fails as unavailable', async () => {
    const crashing = new EmbeddedInvoker();
    crashing.register('crashing', (req) => {
      req.socket.destroy();
    });

    await expect(crashing.invoke('crashing', { method: 'GET', path: '/' })).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      appId: 'crashing',
    });
  });
});
