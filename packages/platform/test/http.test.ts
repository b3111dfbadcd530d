import express from 'express';
import request from 'supertest';
import { AppError, ConcurrencyConflictError } from '@sitter/ports';
import { createLogger, createServiceApp, currentRequestId, requireActor } from '../src';

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
