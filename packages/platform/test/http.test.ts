import express from 'express';
import request from 'supertest';
import { AppError, ConcurrencyConflictError } from '@sitter/ports';
import { createLogger, createServiceApp, currentRequestId, directDispatcherOf, requireActor } from '../src';

const logger = createLogger('test', 'silent');

const app = createServiceApp(logger, [
  {
    method: 'GET',
    path: '/fail/:code',
    handle: async ({ params }) => {
      throw new AppError(params.code as AppError['code'], `failed with ${params.code}`, 'someField');
    },
  },
  {
    method: 'GET',
    path: '/conflict',
    handle: async () => {
      throw new ConcurrencyConflictError(['k']);
    },
  },
  {
    method: 'GET',
    path: '/crash',
    handle: async () => {
      throw new Error('database password is hunter2');
    },
  },
  {
    method: 'GET',
    path: '/whoami',
    handle: async (req) => ({ actor: requireActor(req), requestId: currentRequestId() }),
  },
  { method: 'POST', path: '/echo', handle: async ({ body }) => body },
]);

describe('service HTTP conventions', () => {
  it.each([
    ['BAD_USER_INPUT', 400],
    ['UNAUTHENTICATED', 401],
    ['FORBIDDEN', 403],
    ['NOT_FOUND', 404],
    ['CONFLICT', 409],
  ])('when a use case raises %s, then the answer is HTTP %i with the code and field', async (code, status) => {
    const response = await request(app).get(`/fail/${code}`);

    expect(response.status).toBe(status);
    expect(response.body).toEqual({ code, message: `failed with ${code}`, field: 'someField' });
  });

  it('when a write loses a concurrency race, then the answer is CONFLICT', async () => {
    const response = await request(app).get('/conflict');

    expect(response.status).toBe(409);
    expect(response.body.code).toBe('CONFLICT');
  });

  it('when something unexpected fails, then the answer is INTERNAL and reveals no detail', async () => {
    const response = await request(app).get('/crash');

    expect(response.status).toBe(500);
    expect(JSON.stringify(response.body)).not.toContain('hunter2');
  });

  it('when the caller headers are present, then the route sees the actor and the request id', async () => {
    const response = await request(app)
      .get('/whoami')
      .set('x-sitter-username', 'alice')
      .set('x-sitter-roles', 'PARENT,BOGUS,ADMIN')
      .set('x-request-id', 'rid-1');

    expect(response.body).toEqual({ actor: { username: 'alice', roles: ['PARENT', 'ADMIN'] }, requestId: 'rid-1' });
  });

  it('when the caller headers are missing, then the route answers UNAUTHENTICATED', async () => {
    const response = await request(app).get('/whoami');

    expect(response.status).toBe(401);
  });

  it('when the body is not JSON, then the answer is BAD_USER_INPUT', async () => {
    const response = await request(app).post('/echo').set('content-type', 'application/json').send('{"broken"');

    expect(response.status).toBe(400);
    expect(response.body.code).toBe('BAD_USER_INPUT');
  });

  it('when a route does not exist, then the answer is NOT_FOUND as JSON', async () => {
    const response = await request(app).get('/nowhere');

    expect(response.status).toBe(404);
    expect(response.body.code).toBe('NOT_FOUND');
  });

  it('when /healthz and /readyz are asked, then both answer 200', async () => {
    const [health, ready] = await Promise.all([request(app).get('/healthz'), request(app).get('/readyz')]);

    expect([health.status, ready.status]).toEqual([200, 200]);
  });
});

describe('runtime routers', () => {
  it('when the runtime adds a router, then its routes are served before the not-found answer', async () => {
    const extra = express.Router();
    extra.get('/dapr/subscribe', (_req, res) => {
      res.json([{ pubsubname: 'pubsub', topic: 't', route: '/events/t' }]);
    });
    const withRouter = createServiceApp(logger, [], undefined, [extra]);

    const response = await request(withRouter).get('/dapr/subscribe');

    expect(response.status).toBe(200);
    expect(response.body).toEqual([{ pubsubname: 'pubsub', topic: 't', route: '/events/t' }]);
  });
});

describe('path parameters', () => {
  const routes = createServiceApp(logger, [
    { method: 'GET', path: '/things/:id', handle: async ({ params }) => params },
    {
      method: 'GET',
      path: '/people/:username/things/:thingId',
      params: { username: 'username' },
      handle: async ({ params }) => params,
    },
  ]);
  const direct = directDispatcherOf(routes)!;

  it.each([
    ['an escaped slash', '/things/a%2Fb', 'id'],
    ['a dot-dot segment', '/things/%2E%2E', 'id'],
    ['a space', '/things/a%20b', 'id'],
    ['an over-long id', `/things/${'a'.repeat(65)}`, 'id'],
    ['a username with a slash', '/people/al%2Fice/things/t1', 'username'],
    ['a bad id after a good username', '/people/alice/things/t%2E1', 'thingId'],
  ])(
    'when a parameter holds %s, then HTTP answers 400 naming it and the route never runs',
    async (_label, path, field) => {
      const response = await request(routes).get(path);

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'BAD_USER_INPUT', field });
    },
  );

  it.each([
    ['an escaped slash', '/things/a%2Fb', 'id'],
    ['a malformed escape', '/things/a%E0%A4%A', 'id'],
    ['a username with a space', '/people/al%20ice/things/t1', 'username'],
  ])('when a parameter holds %s, then direct dispatch answers 400 naming it too', async (_label, path, field) => {
    const response = await direct.dispatch('GET', path, {}, undefined);

    expect(response?.status).toBe(400);
    expect(response?.body).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('when a username parameter is in upper case, then the route sees it canonical on both transports', async () => {
    const overHttp = await request(routes).get('/people/ALICE/things/T-1');
    const overDirect = await direct.dispatch('GET', '/people/Alice/things/T-1', {}, undefined);

    expect(overHttp.body).toEqual({ username: 'alice', thingId: 'T-1' });
    expect(overDirect?.body).toEqual({ username: 'alice', thingId: 'T-1' });
  });

  it('when the caller header names a user in upper case, then the route sees the canonical username', async () => {
    const response = await request(app).get('/whoami').set('x-sitter-username', 'Alice').set('x-sitter-roles', 'NANNY');

    expect(response.body.actor).toEqual({ username: 'alice', roles: ['NANNY'] });
  });

  it.each([
    ['an unknown path', 'get', '/internal/secret-route'],
    ['an empty id segment', 'post', '/things//cancellation'],
  ] as const)('when %s is asked, then NOT_FOUND does not echo the method or the path', async (_label, method, path) => {
    const response = await request(routes)[method](path);

    expect(response.status).toBe(404);
    expect(response.body).toEqual({ code: 'NOT_FOUND', message: 'not found' });
  });
});
