import request from 'supertest';
import { AppError, ConcurrencyConflictError, ServiceUnavailableError, type InvokeRequest } from '@sitter/ports';
import { createLogger, createServiceApp, currentRequestId, requireActor } from '@sitter/platform';
import { EmbeddedInvoker } from '../src';

const logger = createLogger('direct-dispatch-test', 'silent');

/** Operations that exercise every way an answer can be shaped. */
const app = createServiceApp(logger, [
  {
    method: 'GET',
    path: '/echo/:first/:second',
    handle: async ({ params, query, actor }) => ({
      params,
      query,
      actor: actor ?? null,
      requestId: currentRequestId(),
    }),
  },
  { method: 'POST', path: '/items', status: 201, handle: async ({ body }) => ({ stored: body, at: new Date(0) }) },
  { method: 'PUT', path: '/mine', handle: async (req) => ({ owner: requireActor(req).username }) },
  {
    method: 'DELETE',
    path: '/fail/:kind',
    handle: async ({ params }) => {
      if (params.kind === 'app') throw new AppError('BAD_USER_INPUT', 'bad name', 'name');
      if (params.kind === 'conflict') throw new ConcurrencyConflictError(['k1']);
      if (params.kind === 'unavailable') throw new ServiceUnavailableError('user');
      throw new Error('secret detail');
    },
  },
]);

const CASES: Array<[string, InvokeRequest]> = [
  [
    'params, query and caller',
    {
      method: 'GET',
      path: '/echo/a%5Fb/c?limit=5&after=x&limit=9',
      headers: { 'x-sitter-username': 'ada', 'x-sitter-roles': 'PARENT,NOPE', 'x-request-id': 'rid-7' },
    },
  ],
  [
    'a mixed-case path with a trailing slash',
    { method: 'GET', path: '/ECHO/one/two/', headers: { 'x-request-id': 'rid-8' } },
  ],
  [
    'a JSON body and a non-default status',
    { method: 'POST', path: '/items', body: { name: 'x', nested: [1, { a: null }] } },
  ],
  ['no caller where one is required', { method: 'PUT', path: '/mine', body: {} }],
  ['an AppError', { method: 'DELETE', path: '/fail/app' }],
  ['a concurrency conflict', { method: 'DELETE', path: '/fail/conflict' }],
  ['an unavailable dependency', { method: 'DELETE', path: '/fail/unavailable' }],
  ['an unexpected error', { method: 'DELETE', path: '/fail/other' }],
  ['an unknown route', { method: 'GET', path: '/nowhere' }],
  ['a path parameter that is no id', { method: 'GET', path: '/echo/a%20b/c' }],
];

/** The same request over real HTTP, through express. */
const overHttp = async (call: InvokeRequest) => {
  let pending = request(app)[call.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'](call.path);
  for (const [name, value] of Object.entries(call.headers ?? {})) pending = pending.set(name, value);
  const response = call.body === undefined ? await pending : await pending.send(call.body as object);
  return { status: response.status, body: response.body };
};

describe('direct dispatch of service operations', () => {
  const invoker = new EmbeddedInvoker();
  invoker.register('svc', app);

  it.each(CASES)('when a call has %s, then the direct answer equals the HTTP answer', async (_label, call) => {
    const direct = await invoker.invoke('svc', call);
    const http = await overHttp(call);

    expect(direct).toEqual(http);
  });

  it('when parameters are encoded, then the operation sees them decoded, with the first query value', async () => {
    const response = await invoker.invoke<{ params: unknown; query: unknown; actor: unknown; requestId: string }>(
      'svc',
      CASES[0][1],
    );

    expect(response.body).toEqual({
      params: { first: 'a_b', second: 'c' },
      query: { limit: '5', after: 'x' },
      actor: { username: 'ada', roles: ['PARENT'] },
      requestId: 'rid-7',
    });
  });

  it('when the operation returns an object, then the caller gets a JSON copy (a Date becomes a string)', async () => {
    const response = await invoker.invoke<{ at: unknown }>('svc', { method: 'POST', path: '/items', body: {} });

    expect(response.body.at).toBe('1970-01-01T00:00:00.000Z');
  });
});
