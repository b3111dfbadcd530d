import request from 'supertest';
import { createLogger, type Logger } from '@sitter/platform';
import {
  EIGHTY_THOUSAND_ALIASES,
  FIVE_THOUSAND_FRAGMENT_CHAIN,
  TEN_THOUSAND_NESTED_FRAGMENTS,
  aliases,
} from '@sitter/gateway/testing/payloads';
import { TEST_API_KEY, errorCodes, startTestSystem, type GraphQLResponse, type TestSystem } from '../support/harness';

/** What the penetration test sent, one row each, against the system as the chart runs it (NODE_ENV=production). */

const CREATE_USER =
  'mutation { createUser(user: {username: "mallory", email: "m@example.com", type: PARENT, firstName: "M", lastName: "L"}) { username } }';
const GET_USER = 'getUser(username: "alice") { username email }';
const PAGE_OF_100 = 'listJobsByStatus(jobStatus: OPEN, limit: 100) { items { id city cost } cursor }';

/** The services' "operation handled" log lines, to see which of them a request reached. */
const handled: Array<{ service: string }> = [];
const capturing = (name: string): Logger => {
  const logger = createLogger(name, 'debug');
  for (const transport of logger.transports) transport.silent = true;
  logger.on('data', (info: { message?: string; service?: string }) => {
    if (info.message === 'operation handled' && info.service) handled.push({ service: info.service });
  });
  return logger;
};
const callsTo = (service: string) => handled.filter((line) => line.service === service).length;

const limitsOf = (response: GraphQLResponse) => (response.errors ?? []).map((error) => error.extensions?.limit);

describe('abuse of the gateway, as the chart runs it', () => {
  let t: TestSystem;
  let http: () => request.Agent;
  beforeAll(async () => {
    t = await startTestSystem({
      apiKeyRateLimit: 30,
      gatewayEnv: { NODE_ENV: 'production', API_KEY_FAILURE_LIMIT: '3' },
      loggerFor: capturing,
      logLevel: 'debug',
    });
    http = () => request.agent(`http://127.0.0.1:${t.system.port}`);
  });
  afterAll(async () => {
    await t.stop();
  });
  beforeEach(() => {
    handled.length = 0;
  });

  it('when a 1.4 MB body of 80,000 aliases is posted, then it is refused with 413 from its content-length', async () => {
    const body = JSON.stringify({ query: EIGHTY_THOUSAND_ALIASES });

    const response = await http().post('/graphql').set('content-type', 'application/json').send(body);

    expect(body.length).toBeGreaterThan(1_400_000);
    expect(response.status).toBe(413);
    expect(response.body.errors.map((error: { extensions: { code: string } }) => error.extensions.code)).toEqual([
      'REQUEST_ENTITY_TOO_LARGE',
    ]);
  });

  it('when 1,000 aliased getUser come with a valid token, then they are refused before the user service is called', async () => {
    const token = t.tokenFor('mallory', 'PARENT');

    const response = await t.gql(aliases(1_000, GET_USER), {}, { token });
    const callsAfterRefusal = callsTo('user');
    await t.gql(`{ ${GET_USER} }`, {}, { token });

    expect(response.data ?? null).toBeNull();
    expect(new Set(errorCodes(response))).toEqual(new Set(['QUERY_TOO_COMPLEX']));
    expect([callsAfterRefusal, callsTo('user')]).toEqual([0, 1]);
  });

  it('when 500 aliased listJobsByStatus(limit: 100) come with the API key, then they are refused before the job service is called', async () => {
    const response = await t.gql(aliases(500, PAGE_OF_100), {}, { apiKey: TEST_API_KEY });
    const callsAfterRefusal = callsTo('job');
    await t.gql(`{ ${PAGE_OF_100} }`, {}, { apiKey: TEST_API_KEY });

    expect(response.data ?? null).toBeNull();
    expect(new Set(errorCodes(response))).toEqual(new Set(['QUERY_TOO_COMPLEX']));
    expect([callsAfterRefusal, callsTo('job')]).toEqual([0, 1]);
  });

  it('when the API key runs five aliased pages of 100 jobs, then that counts as 25 requests and the next run is RATE_LIMITED', async () => {
    const query = aliases(5, PAGE_OF_100);

    const first = await t.gql(query, {}, { apiKey: TEST_API_KEY });
    const second = await t.gql(query, {}, { apiKey: TEST_API_KEY });

    expect(first.errors).toBeUndefined();
    expect(second.status).toBe(429);
    expect(errorCodes(second)).toEqual(['RATE_LIMITED']);
  });

  it.each([
    ['application/x-www-form-urlencoded', (r: request.Test) => r.type('form').send({ query: CREATE_USER })],
    ['multipart/form-data', (r: request.Test) => r.field('operations', JSON.stringify({ query: CREATE_USER }))],
    [
      'text/plain',
      (r: request.Test) => r.set('content-type', 'text/plain').send(JSON.stringify({ query: CREATE_USER })),
    ],
  ])('when a mutation is posted as %s, then it is FORBIDDEN and the user service is not called', async (_, as) => {
    const token = t.tokenFor('mallory', 'PARENT');

    const response = await as(http().post('/graphql').set('authorization', `Bearer ${token}`));

    expect(response.status).toBe(403);
    expect(response.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(callsTo('user')).toBe(0);
  });

  it('when a page from a foreign origin calls, then its origin is not reflected and no credentials are allowed', async () => {
    const response = await http()
      .post('/graphql')
      .set('origin', 'https://attacker.example')
      .set('x-api-key', TEST_API_KEY)
      .send({ query: '{ __typename }' });
    const preflight = await http()
      .options('/graphql')
      .set('origin', 'https://attacker.example')
      .set('access-control-request-method', 'POST')
      .set('access-control-request-headers', 'content-type,authorization');

    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('when an anonymous caller asks for the schema, then introspection is refused and GraphiQL is not served', async () => {
    const response = await t.gql('{ __schema { types { name } } }');
    const page = await http().get('/graphql').set('accept', 'text/html');

    expect(response.data ?? null).toBeNull();
    expect(response.errors?.[0].message).toMatch(/introspection has been disabled/);
    expect(page.text).not.toMatch(/graphiql/i);
  });

  it('when one address keeps sending wrong API keys, then it is throttled with RATE_LIMITED and a retry time', async () => {
    const guess = (key: string) =>
      http()
        .post('/graphql')
        .set('x-api-key', key)
        .send({ query: '{ listJobsByStatus(jobStatus: OPEN, limit: 1) { cursor } }' });

    const guesses = [];
    for (let n = 0; n < 4; n += 1) guesses.push(await guess(`guess-${n}`));

    expect(guesses.map((response) => response.status)).toEqual([401, 401, 401, 429]);
    expect(guesses[3].body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(Number(guesses[3].headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('abuse of the gateway with the body limit raised: the document limits hold on their own', () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem({
      gatewayEnv: { NODE_ENV: 'production', MAX_REQUEST_BODY_BYTES: String(4 * 1024 * 1024) },
    });
  });
  afterAll(async () => {
    await t.stop();
  });

  it.each([
    ['80,000 aliases (1.4 MB)', EIGHTY_THOUSAND_ALIASES],
    ['10,000 nested inline fragments', TEN_THOUSAND_NESTED_FRAGMENTS],
    ['a 5,000-long fragment chain', FIVE_THOUSAND_FRAGMENT_CHAIN],
  ])(
    'when a document of %s is sent, then the token limit refuses it with QUERY_TOO_COMPLEX, never a 500',
    async (_, query) => {
      const response = await t.gql(query);

      expect(response.status).toBeLessThan(500);
      expect(response.data ?? null).toBeNull();
      expect(errorCodes(response)).toEqual(['QUERY_TOO_COMPLEX']);
      expect(limitsOf(response)).toEqual(['tokens']);
    },
  );
});
