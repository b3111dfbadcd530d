import { EmbeddedRuntime } from '@sitter/embedded-runtime';
import { createLogger } from '@sitter/platform';
import { createApiKeyGuard, createAuthenticator, createGatewayYoga, validatedAuthConfigSchema } from '../../src';
import { AUDIENCE, ISSUER, RSA_KID, signToken, startJwksFixture, type JwksFixture } from '../auth/jwks-fixture';

const API_KEY = 'arguments-test-key';

interface Answer {
  data?: unknown;
  errors?: Array<{ message: string; extensions?: { code?: string; field?: string } }>;
}

/**
 * The gateway in front of a runtime where no service is registered: any call that got through
 * would answer SERVICE_UNAVAILABLE, so BAD_USER_INPUT proves the argument was refused first.
 */
let fixture: JwksFixture;
let runtime: EmbeddedRuntime;
let gql: (query: string, variables: Record<string, unknown>, headers?: Record<string, string>) => Promise<Answer>;

beforeAll(async () => {
  fixture = await startJwksFixture();
  const logger = createLogger('gateway-test', 'silent');
  runtime = new EmbeddedRuntime({ logger });
  await runtime.start();
  const auth = validatedAuthConfigSchema.parse({
    JWKS_URI: fixture.jwksUri,
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
    API_KEYS: API_KEY,
  });
  const yoga = createGatewayYoga({
    invoker: runtime.invoker,
    authenticator: createAuthenticator(auth),
    apiKeys: createApiKeyGuard(auth),
    logger,
  });
  gql = async (query, variables, headers = {}) => {
    const response = await yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as Answer;
  };
});

afterAll(async () => {
  await runtime.stop();
  await fixture.stop();
});

const tokenFor = (...roles: string[]) => ({
  authorization: `Bearer ${signToken({ roles }, fixture.rsa.privateKey, { keyid: RSA_KID, subject: 'tester' })}`,
});

interface Routed {
  name: string;
  /** `$v` is the argument under test. */
  query: string;
  field: string;
  roles: string[];
}

/** Each operation that routes by an id or a username, with `$v` put into that argument. */
const ROUTED: Routed[] = [
  {
    name: 'getUser',
    query: 'query ($v: String!) { getUser(username: $v) { username } }',
    field: 'username',
    roles: [],
  },
  { name: 'getJob', query: 'query ($v: ID!) { getJob(id: $v) { id } }', field: 'id', roles: [] },
  {
    name: 'listJobApplications',
    query: 'query ($v: ID!) { listJobApplications(jobId: $v) { id } }',
    field: 'jobId',
    roles: [],
  },
  {
    name: 'listJobsAppliedTo',
    query: 'query ($v: String!) { listJobsAppliedTo(username: $v) { id } }',
    field: 'username',
    roles: [],
  },
  { name: 'getBooking', query: 'query ($v: ID!) { getBooking(id: $v) { id } }', field: 'id', roles: [] },
  {
    name: 'getBookingByStatus',
    query: 'query ($v: String!) { getBookingByStatus(customer: $v, status: CONFIRMED) { cursor } }',
    field: 'customer',
    roles: [],
  },
  {
    name: 'updateUser',
    query: 'mutation ($v: String!) { updateUser(user: { username: $v, about: "x" }) { username } }',
    field: 'username',
    roles: [],
  },
  {
    name: 'updateUserStatus',
    query: 'mutation ($v: String!) { updateUserStatus(username: $v, status: VERIFIED) { username } }',
    field: 'username',
    roles: ['ADMIN'],
  },
  {
    name: 'applyToJob',
    query: 'mutation ($v: ID!) { applyToJob(application: { jobId: $v }) { id } }',
    field: 'jobId',
    roles: ['NANNY'],
  },
  {
    name: 'processBooking (jobId)',
    query:
      'mutation ($v: ID!) { processBooking(input: { jobId: $v, applicationId: "a1", paymentToken: "tok_visa" }) { id } }',
    field: 'jobId',
    roles: ['PARENT'],
  },
  {
    name: 'processBooking (applicationId)',
    query:
      'mutation ($v: ID!) { processBooking(input: { jobId: "j1", applicationId: $v, paymentToken: "tok_visa" }) { id } }',
    field: 'applicationId',
    roles: ['PARENT'],
  },
  { name: 'cancelBooking', query: 'mutation ($v: ID!) { cancelBooking(id: $v) { id } }', field: 'id', roles: [] },
  {
    name: 'bookNanny',
    query: 'mutation ($v: ID!) { bookNanny(jobId: $v, applicationId: "a1", paymentToken: "tok_visa") { id } }',
    field: 'jobId',
    roles: ['PARENT'],
  },
];

const HOSTILE = ['', ' ', 'a/b', '..', '../users', 'x'.repeat(65), 'job\u0000', 'j\u00f6b'];

describe('ids and usernames are checked before any service is called', () => {
  const cases = ROUTED.flatMap((routed) =>
    HOSTILE.map((value) => [routed.name, JSON.stringify(value), routed, value] as const),
  );

  it.each(cases)('when %s gets %s, then BAD_USER_INPUT naming the argument', async (_name, _shown, routed, value) => {
    const answer = await gql(routed.query, { v: value }, tokenFor(...routed.roles));

    expect(answer.errors?.map((error) => error.extensions)).toEqual([{ code: 'BAD_USER_INPUT', field: routed.field }]);
    expect(answer.errors?.[0].message).not.toMatch(/route|\/(jobs|users|bookings|nannies)/);
  });

  it.each(ROUTED.map((routed) => [routed.name, routed] as const))(
    'when %s gets a well-formed argument, then it is forwarded (SERVICE_UNAVAILABLE here: nothing is registered)',
    async (_name, routed) => {
      const value = routed.query.includes('String!') ? 'Alice' : 'job-1';

      const answer = await gql(routed.query, { v: value }, tokenFor(...routed.roles));

      expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
    },
  );
});

describe('listJobsByStatus with only an API key', () => {
  const LIST = 'query ($s: JobStatus!) { listJobsByStatus(jobStatus: $s) { cursor } }';

  it('when it asks for CLOSED jobs, then UNAUTHENTICATED before any call', async () => {
    const answer = await gql(LIST, { s: 'CLOSED' }, { 'x-api-key': API_KEY });

    expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });

  it('when it asks for OPEN jobs, or a token asks for CLOSED ones, then the call is forwarded', async () => {
    const open = await gql(LIST, { s: 'OPEN' }, { 'x-api-key': API_KEY });
    const closedWithToken = await gql(LIST, { s: 'CLOSED' }, tokenFor('NANNY'));

    expect(open.errors?.map((error) => error.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(closedWithToken.errors?.map((error) => error.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
  });
});
