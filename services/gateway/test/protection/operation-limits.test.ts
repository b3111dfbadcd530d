import { answerOf, codesOf, startGateway, type GatewayFixture } from './gateway-fixture';
import {
  EIGHTY_THOUSAND_ALIASES,
  FIVE_THOUSAND_FRAGMENT_CHAIN,
  TEN_THOUSAND_NESTED_FRAGMENTS,
  aliases,
  nestedInlineFragments,
} from './payloads';

const GET_USER = 'getUser(username: "bob") { username }';
const LIST_JOBS = 'listJobsByStatus(jobStatus: OPEN, limit: 5) { items { id city cost } cursor }';

const refusal = (answer: Awaited<ReturnType<typeof answerOf>>) => ({
  data: answer.data ?? null,
  codes: codesOf(answer),
  limits: (answer.errors ?? []).map((error) => error.extensions?.limit),
});

describe('operation limits with the defaults', () => {
  let gateway: GatewayFixture;
  beforeAll(async () => {
    // The body limit is raised so that the token limit alone meets the oversized documents.
    gateway = await startGateway({ MAX_REQUEST_BODY_BYTES: String(8 * 1024 * 1024) });
  });
  afterAll(async () => {
    await gateway.stop();
  });
  beforeEach(() => {
    gateway.calls.length = 0;
  });

  it.each([
    ['80,000 aliases', EIGHTY_THOUSAND_ALIASES],
    ['10,000 nested inline fragments', TEN_THOUSAND_NESTED_FRAGMENTS],
    ['a 5,000-long fragment chain', FIVE_THOUSAND_FRAGMENT_CHAIN],
  ])(
    'when a document of %s is sent, then parsing stops at the token limit with QUERY_TOO_COMPLEX',
    async (_, query) => {
      const answer = await answerOf(await gateway.post({ query }));

      expect(refusal(answer)).toEqual({ data: null, codes: ['QUERY_TOO_COMPLEX'], limits: ['tokens'] });
      expect(answer.errors?.[0].message).toBe('Token limit of 1000 exceeded.');
    },
  );

  it('when 1,000 aliased getUser come with a token, then they are refused before any service call', async () => {
    const answer = await answerOf(
      await gateway.post({ query: aliases(1_000, GET_USER) }, { authorization: `Bearer ${gateway.token()}` }),
    );

    expect(refusal(answer)).toEqual({ data: null, codes: ['QUERY_TOO_COMPLEX'], limits: ['tokens'] });
    expect(gateway.calls).toEqual([]);
  });

  it('when a caller with a token asks within the authenticated ceilings, then the operation runs', async () => {
    const answer = await answerOf(
      await gateway.post({ query: aliases(20, GET_USER) }, { authorization: `Bearer ${gateway.token()}` }),
    );

    expect(answer.errors).toBeUndefined();
    expect(gateway.calls).toHaveLength(20);
  });

  it.each([
    ['aliases', aliases(21, GET_USER)],
    ['depth', nestedInlineFragments(8).replace('__typename', GET_USER)],
  ])(
    'when a caller with a token goes over the %s ceiling, then it is refused before any service call',
    async (limit, query) => {
      const answer = await answerOf(await gateway.post({ query }, { authorization: `Bearer ${gateway.token()}` }));

      expect(refusal(answer)).toEqual({ data: null, codes: ['QUERY_TOO_COMPLEX'], limits: [limit] });
      expect(gateway.calls).toEqual([]);
    },
  );

  it.each([
    ['aliases', aliases(6, LIST_JOBS), aliases(5, LIST_JOBS)],
    [
      'depth',
      nestedInlineFragments(3).replace('__typename', LIST_JOBS),
      nestedInlineFragments(2).replace('__typename', LIST_JOBS),
    ],
  ])(
    'when an API-key caller goes over the lower public %s ceiling, then it is refused, and just within it runs',
    async (limit, over, within) => {
      const refused = await answerOf(await gateway.post({ query: over }, { 'x-api-key': 'protection-test-key' }));
      const callsAfterRefusal = gateway.calls.length;
      const admitted = await answerOf(await gateway.post({ query: within }, { 'x-api-key': 'protection-test-key' }));

      expect(refusal(refused)).toEqual({ data: null, codes: ['QUERY_TOO_COMPLEX'], limits: [limit] });
      expect(callsAfterRefusal).toBe(0);
      expect(admitted.errors).toBeUndefined();
    },
  );

  it('when a document is validated for a caller with a token, then the same document without one still meets the public ceilings', async () => {
    const query = aliases(6, LIST_JOBS);
    const withToken = await answerOf(await gateway.post({ query }, { authorization: `Bearer ${gateway.token()}` }));

    const withKey = await answerOf(await gateway.post({ query }, { 'x-api-key': 'protection-test-key' }));

    expect(withToken.errors).toBeUndefined();
    expect(refusal(withKey)).toEqual({ data: null, codes: ['QUERY_TOO_COMPLEX'], limits: ['aliases'] });
  });

  it('when a bearer token fails verification, then an operation within the authenticated ceilings still does not run', async () => {
    const answer = await answerOf(
      await gateway.post({ query: aliases(20, GET_USER) }, { authorization: 'Bearer forged.token.here' }),
    );

    expect(answer.status).toBe(401);
    expect(codesOf(answer)).toEqual(['UNAUTHENTICATED']);
    expect(gateway.calls).toEqual([]);
  });

  it('when an operation has more directives than the limit, then it is refused', async () => {
    const query = aliases(11, '__typename @include(if: true)');

    const answer = await answerOf(await gateway.post({ query }));

    expect(refusal(answer)).toEqual({ data: null, codes: ['QUERY_TOO_COMPLEX'], limits: ['directives'] });
  });
});

describe('operation limits from the configuration', () => {
  let gateway: GatewayFixture;
  beforeAll(async () => {
    gateway = await startGateway({
      GRAPHQL_MAX_TOKENS: '60',
      GRAPHQL_MAX_COST: '30',
      GRAPHQL_MAX_COST_PUBLIC: '20',
      GRAPHQL_MAX_DIRECTIVES: '1',
    });
  });
  afterAll(async () => {
    await gateway.stop();
  });

  it('when the document has more tokens than GRAPHQL_MAX_TOKENS, then it is refused', async () => {
    const answer = await answerOf(await gateway.post({ query: aliases(6, GET_USER) }));

    expect(refusal(answer)).toEqual({ data: null, codes: ['QUERY_TOO_COMPLEX'], limits: ['tokens'] });
    expect(answer.errors?.[0].message).toBe('Token limit of 60 exceeded.');
  });

  it('when the estimated cost is over the caller tier’s GRAPHQL_MAX_COST, then it is refused', async () => {
    // graphql-armor's estimate: 2 per object and 1 per scalar, children × 1.5 per level: 13.25 each.
    const twoLists = aliases(2, LIST_JOBS);

    const publicAnswer = await answerOf(
      await gateway.post({ query: twoLists }, { 'x-api-key': 'protection-test-key' }),
    );
    const authenticatedAnswer = await answerOf(
      await gateway.post({ query: twoLists }, { authorization: `Bearer ${gateway.token()}` }),
    );

    expect(refusal(publicAnswer)).toEqual({ data: null, codes: ['QUERY_TOO_COMPLEX'], limits: ['cost'] });
    expect(publicAnswer.errors?.[0].message).toBe('Query Cost limit of 20 exceeded, found 26.5.');
    expect(authenticatedAnswer.errors).toBeUndefined();
  });

  it('when the operation has more directives than GRAPHQL_MAX_DIRECTIVES, then it is refused', async () => {
    const answer = await answerOf(await gateway.post({ query: '{ __typename @include(if: true) @skip(if: false) }' }));

    expect(refusal(answer)).toEqual({ data: null, codes: ['QUERY_TOO_COMPLEX'], limits: ['directives'] });
  });
});
