import type { Server } from 'node:http';
import request from 'supertest';
import { EmbeddedRuntime } from '@sitter/embedded-runtime';
import { close, createLogger, listen } from '@sitter/platform';
import { createUserApp } from '../../src';
import { ManualClock, signUpInput, uniqueUsername } from '../support/fixtures';

const caller = (username: string, roles = 'PARENT') => ({ 'x-sitter-username': username, 'x-sitter-roles': roles });

let server: Server;
let baseUrl: string;
let runtime: EmbeddedRuntime;

beforeAll(async () => {
  const logger = createLogger('user-test', 'silent');
  runtime = new EmbeddedRuntime({ logger });
  const app = createUserApp({ ...(await runtime.sidecar('user')), logger, clock: new ManualClock() });
  const listening = await listen(app, 0, '127.0.0.1');
  server = listening.server;
  baseUrl = `http://127.0.0.1:${listening.port}`;
});

afterAll(async () => {
  await close(server);
  await runtime.stop();
});

const signUp = async (username = uniqueUsername(), overrides: Record<string, unknown> = {}) => {
  const response = await request(baseUrl)
    .post('/users')
    .set(caller(username))
    .send(signUpInput(username, overrides))
    .expect(201);
  return { username, user: response.body };
};

describe('POST /users', () => {
  it('when the caller signs up, then 201 with the UNVERIFIED user', async () => {
    const username = uniqueUsername();

    const response = await request(baseUrl).post('/users').set(caller(username)).send(signUpInput(username));

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ username, status: 'UNVERIFIED', createdOn: '2025-06-01T12:00:00.000Z' });
  });

  it('when there is no caller identity, then 401 UNAUTHENTICATED', async () => {
    const username = uniqueUsername();

    const response = await request(baseUrl).post('/users').send(signUpInput(username));

    expect(response.status).toBe(401);
    expect(response.body.code).toBe('UNAUTHENTICATED');
  });

  it('when the caller signs up someone else, then 403 FORBIDDEN', async () => {
    const response = await request(baseUrl)
      .post('/users')
      .set(caller(uniqueUsername('me')))
      .send(signUpInput(uniqueUsername('them')));

    expect(response.status).toBe(403);
    expect(response.body.code).toBe('FORBIDDEN');
  });

  it('when a field is invalid, then 400 BAD_USER_INPUT with the field', async () => {
    const username = uniqueUsername();

    const response = await request(baseUrl)
      .post('/users')
      .set(caller(username))
      .send(signUpInput(username, { longitude: 200 }));

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'BAD_USER_INPUT', field: 'longitude' });
  });

  it('when the body is not JSON, then 400 BAD_USER_INPUT', async () => {
    const username = uniqueUsername();

    const response = await request(baseUrl)
      .post('/users')
      .set(caller(username))
      .set('content-type', 'application/json')
      .send('{"username":');

    expect(response.status).toBe(400);
    expect(response.body.code).toBe('BAD_USER_INPUT');
  });

  it('when 40 sign-ups race for one username, then one 201 and 39 409 CONFLICT', async () => {
    const username = uniqueUsername();

    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        request(baseUrl)
          .post('/users')
          .set(caller(username))
          .send(signUpInput(username, { email: `race${index}-${username}@example.com` })),
      ),
    );

    expect(responses.filter((response) => response.status === 201)).toHaveLength(1);
    const conflicts = responses.filter((response) => response.status === 409);
    expect(conflicts).toHaveLength(39);
    expect(conflicts.every((response) => response.body.message === `username '${username}' is already taken`)).toBe(
      true,
    );
  });

  it('when 40 sign-ups race for one email, then one 201 and 39 409 CONFLICT', async () => {
    const email = `${uniqueUsername('shared')}@example.com`;

    const responses = await Promise.all(
      Array.from({ length: 40 }, () => {
        const username = uniqueUsername();
        return request(baseUrl).post('/users').set(caller(username)).send(signUpInput(username, { email }));
      }),
    );

    expect(responses.filter((response) => response.status === 201)).toHaveLength(1);
    const conflicts = responses.filter((response) => response.status === 409);
    expect(conflicts).toHaveLength(39);
    expect(conflicts.every((response) => response.body.code === 'CONFLICT')).toBe(true);
  });
});

describe('GET /users/:username', () => {
  it('when the owner reads the user, then 200 with all of it', async () => {
    const { username, user } = await signUp();

    const response = await request(baseUrl).get(`/users/${username}`).set(caller(username));

    expect(response.status).toBe(200);
    expect(response.body).toEqual(user);
  });

  it('when another caller reads the user, then 200 with the public profile only', async () => {
    const { username } = await signUp(undefined, {
      dateOfBirth: '1990-01-01',
      address: '1 Private Road',
      city: 'Leeds',
      latitude: 53.8,
      longitude: -1.55,
    });

    const response = await request(baseUrl)
      .get(`/users/${username}`)
      .set(caller(uniqueUsername('reader'), 'NANNY'));

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ username, type: 'PARENT', firstName: 'Ada', city: 'Leeds' });
    for (const hidden of ['email', 'lastName', 'dateOfBirth', 'address', 'latitude', 'longitude']) {
      expect(response.body).not.toHaveProperty(hidden);
    }
  });

  it('when the user does not exist, then 404 NOT_FOUND', async () => {
    const response = await request(baseUrl)
      .get(`/users/${uniqueUsername('ghost')}`)
      .set(caller('reader'));

    expect(response.status).toBe(404);
    expect(response.body.code).toBe('NOT_FOUND');
  });

  it('when there is no caller identity, then 401', async () => {
    const { username } = await signUp();

    const response = await request(baseUrl).get(`/users/${username}`);

    expect(response.status).toBe(401);
  });
});

describe('PATCH /users/:username', () => {
  it('when the owner patches the profile, then 200 with the change', async () => {
    const { username } = await signUp(undefined, { latitude: 1, longitude: 2 });

    const response = await request(baseUrl)
      .patch(`/users/${username}`)
      .set(caller(username))
      .send({ about: 'new', longitude: 3 });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ about: 'new', latitude: 1, longitude: 3 });
  });

  it('when an admin patches the profile, then 200', async () => {
    const { username } = await signUp();

    const response = await request(baseUrl)
      .patch(`/users/${username}`)
      .set(caller(uniqueUsername('admin'), 'ADMIN'))
      .send({ lastName: 'Admin-Edited' });

    expect(response.status).toBe(200);
    expect(response.body.lastName).toBe('Admin-Edited');
  });

  it('when someone else patches the profile, then 403 FORBIDDEN', async () => {
    const { username } = await signUp();

    const response = await request(baseUrl)
      .patch(`/users/${username}`)
      .set(caller(uniqueUsername('other'), 'PARENT,NANNY'))
      .send({ lastName: 'Hacked' });

    expect(response.status).toBe(403);
    expect(response.body.code).toBe('FORBIDDEN');
  });

  it('when the patch carries a non-editable field, then 400 naming it', async () => {
    const { username } = await signUp();

    const response = await request(baseUrl)
      .patch(`/users/${username}`)
      .set(caller(username))
      .send({ status: 'VERIFIED' });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'BAD_USER_INPUT', field: 'status' });
  });

  it('when the user does not exist, then 404 NOT_FOUND', async () => {
    const response = await request(baseUrl)
      .patch(`/users/${uniqueUsername('ghost')}`)
      .set(caller('boss', 'ADMIN'))
      .send({ about: 'x' });

    expect(response.status).toBe(404);
  });
});

describe('PUT /users/:username/status', () => {
  it('when an admin deactivates a user, then 200 and the user reads back DEACTIVATED', async () => {
    const { username } = await signUp();

    const response = await request(baseUrl)
      .put(`/users/${username}/status`)
      .set(caller('boss', 'ADMIN'))
      .send({ status: 'DEACTIVATED' });

    expect(response.status).toBe(200);
    const reread = await request(baseUrl).get(`/users/${username}`).set(caller(username));
    expect(reread.body.status).toBe('DEACTIVATED');
  });

  it('when a non-admin sets a status, then 403 FORBIDDEN', async () => {
    const { username } = await signUp();

    const response = await request(baseUrl)
      .put(`/users/${username}/status`)
      .set(caller(username, 'PARENT'))
      .send({ status: 'VERIFIED' });

    expect(response.status).toBe(403);
  });

  it('when the status is unknown, then 400 BAD_USER_INPUT on status', async () => {
    const { username } = await signUp();

    const response = await request(baseUrl)
      .put(`/users/${username}/status`)
      .set(caller('boss', 'ADMIN'))
      .send({ status: 'SUSPENDED' });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'BAD_USER_INPUT', field: 'status' });
  });

  it('when the user does not exist, then 404', async () => {
    const response = await request(baseUrl)
      .put(`/users/${uniqueUsername('ghost')}/status`)
      .set(caller('boss', 'ADMIN'))
      .send({ status: 'VERIFIED' });

    expect(response.status).toBe(404);
  });
});
