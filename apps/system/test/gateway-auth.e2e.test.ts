import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { signDevToken } from '@sitter/dev-issuer';
import { CREATE_JOB, jobInput } from './support/fixtures';
import { TEST_API_KEY, errorCodes, startTestSystem, type TestSystem } from './support/harness';

const WHO_CAN_LIST = `query { listJobsByStatus(jobStatus: OPEN, limit: 1) { items { id } } }`;
const GET_USER = `query { getUser(username: "nobody") { username } }`;

describe('gateway authentication', () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem({ apiKeyRateLimit: 3 });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('when the token is garbled, then every operation is UNAUTHENTICATED with HTTP 401', async () => {
    const response = await t.gql(GET_USER, {}, { token: 'not.a.jwt' });

    expect(response.status).toBe(401);
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('when the token has expired, then it is UNAUTHENTICATED', async () => {
    const expired = signDevToken(t.key, { sub: 'late', roles: ['PARENT'], expiresIn: -10 });

    const response = await t.gql(GET_USER, {}, { token: expired });

    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.errors?.[0].message).toMatch(/expired/i);
  });

  it('when the token is signed by a key the issuer does not publish, then it is UNAUTHENTICATED', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = jwt.sign({ roles: ['ADMIN'] }, privateKey.export({ type: 'pkcs8', format: 'pem' }), {
      algorithm: 'RS256',
      keyid: 'forged-kid',
      subject: 'mallory',
      issuer: t.issuer.issuer,
      audience: t.issuer.audience,
    });

    const response = await t.gql(GET_USER, {}, { token: forged });

    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('when the token is for another audience, then it is UNAUTHENTICATED', async () => {
    const token = signDevToken(t.key, { sub: 'elsewhere', roles: ['PARENT'], audience: 'another-api' });

    const response = await t.gql(GET_USER, {}, { token });

    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('when an operation needs a token and none is sent, then it is UNAUTHENTICATED', async () => {
    const response = await t.gql(CREATE_JOB, { job: jobInput() });

    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('when the API key is used for an operation that needs a token, then it is UNAUTHENTICATED', async () => {
    const response = await t.gql(GET_USER, {}, { apiKey: TEST_API_KEY, headers: {} });

    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('when an unknown API key is sent, then it is UNAUTHENTICATED', async () => {
    const response = await t.gql(WHO_CAN_LIST, {}, { apiKey: 'guessed-key' });

    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('when a variable has the wrong type, then the error is BAD_USER_INPUT and nothing runs', async () => {
    const token = t.tokenFor('typo', 'PARENT');

    const response = await t.gql(CREATE_JOB, { job: { ...jobInput(), latitude: 'north' } }, { token });

    expect(response.data ?? null).toBeNull();
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('gateway API key rate limit', () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem({ apiKeyRateLimit: 3 });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('when a key exceeds its per-minute limit, then it gets RATE_LIMITED with HTTP 429 and a retry time', async () => {
    const answers = [];
    for (let i = 0; i < 4; i += 1) answers.push(await t.gql(WHO_CAN_LIST, {}, { apiKey: TEST_API_KEY }));

    expect(answers.slice(0, 3).map((answer) => answer.errors)).toEqual([undefined, undefined, undefined]);
    expect(answers[3].status).toBe(429);
    expect(errorCodes(answers[3])).toEqual(['RATE_LIMITED']);
    expect(answers[3].errors?.[0].extensions?.retryAfterSeconds).toBeGreaterThan(0);
  });
});

describe('gateway over HTTP', () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('when a request carries x-request-id, then the answer carries the same id', async () => {
    const response = await request(`http://127.0.0.1:${t.system.port}`)
      .post('/graphql')
      .set('x-request-id', 'trace-me-123')
      .set('x-api-key', TEST_API_KEY)
      .send({ query: WHO_CAN_LIST });

    expect(response.status).toBe(200);
    expect(response.headers['x-request-id']).toBe('trace-me-123');
  });

  it('when /healthz and /readyz are asked, then both answer 200', async () => {
    const server = request(`http://127.0.0.1:${t.system.port}`);

    const [health, ready] = await Promise.all([server.get('/healthz'), server.get('/readyz')]);

    expect(health.status).toBe(200);
    expect(ready.status).toBe(200);
  });

  it('when a browser opens /graphql, then GraphiQL is served', async () => {
    const response = await request(`http://127.0.0.1:${t.system.port}`).get('/graphql').set('accept', 'text/html');

    expect(response.status).toBe(200);
    expect(response.text).toMatch(/graphiql/i);
  });
});
