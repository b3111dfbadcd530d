import { signUp } from '../support/fixtures';
import { errorCodes, startTestSystem, type GraphQLResponse, type TestSystem } from '../support/harness';
import { hostileTokens, nowInSeconds } from '../support/hostile-tokens';

/**
 * JWT attacks in the manner of RFC 8725 and the OWASP GraphQL cheat sheet, sent through the
 * gateway of the whole system (embedded runtime, the dev issuer's real JWKS over HTTP).
 */

const WHO_AM_I = /* GraphQL */ `
  query ($username: String!) {
    getUser(username: $username) {
      username
    }
  }
`;

type Tokens = ReturnType<typeof hostileTokens>;

/** Each attack impersonates the signed-up user, whose own valid token reads the profile. */
const ATTACKS: Array<[attack: string, reason: RegExp, token: (tokens: Tokens, username: string) => string]> = [
  ['alg none', /algorithm is not accepted/, (k, sub) => k.unsigned(sub)],
  ['HS256 signed with the public key', /algorithm is not accepted/, (k, sub) => k.hmacWithPublicKey(sub)],
  ['expired', /^token expired$/, (k, sub) => k.signed(k.claims(sub, { exp: nowInSeconds() - 60 }))],
  [
    'missing exp',
    /no expiry \(exp\)/,
    (k, sub) => {
      const { exp: _omitted, ...claims } = k.claims(sub);
      return k.signed(claims);
    },
  ],
  ['nbf in the future', /not valid yet/, (k, sub) => k.signed(k.claims(sub, { nbf: nowInSeconds() + 3600 }))],
  ['wrong iss', /issuer is not accepted/, (k, sub) => k.signed(k.claims(sub, { iss: 'https://attacker.example' }))],
  ['wrong aud', /audience is not accepted/, (k, sub) => k.signed(k.claims(sub, { aud: 'another-api' }))],
  ['unknown kid', /unknown key/, (k, sub) => k.unknownKid(sub)],
  ['forged kid (the real kid, another key)', /signature is invalid/, (k, sub) => k.forgedKid(sub)],
  [
    'jku header',
    /carries its own key \(jku\)/,
    (k, sub) => k.signed(k.claims(sub), { jku: 'https://attacker.example/jwks.json' }),
  ],
  [
    'x5u header',
    /carries its own key \(x5u\)/,
    (k, sub) => k.signed(k.claims(sub), { x5u: 'https://attacker.example/cert.pem' }),
  ],
  [
    'jwk header',
    /carries its own key \(jwk\)/,
    (k, sub) => k.signed(k.claims(sub), { jwk: { kty: 'oct', k: 'c2VjcmV0' } }),
  ],
  [
    'x5c header',
    /carries its own key \(x5c\)/,
    (k, sub) => k.signed(k.claims(sub), { x5c: ['MIIBszCCAVmgAwIBAgIUQ'] }),
  ],
  [
    'crit header',
    /critical extensions \(crit\)/,
    (k, sub) => k.signed(k.claims(sub), { crit: ['https://attacker.example/ext'] }),
  ],
  ['oversized token', /larger than 8192 bytes/, (k, sub) => k.signed(k.claims(sub, { padding: 'x'.repeat(9_000) }))],
  ['malformed: not three parts', /malformed/, () => 'only.two'],
  ['malformed: bad base64', /malformed/, () => '!!!.@@@.###'],
  ['malformed: bad JSON', /malformed/, () => `${Buffer.from('{"alg":').toString('base64url')}.e30.c2ln`],
];

const expectUnauthenticated = (response: GraphQLResponse) => {
  expect(response.status).toBe(401);
  expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  expect(response.data ?? null).toBeNull();
};

describe('JWT attacks on the gateway', () => {
  let t: TestSystem;
  let tokens: Tokens;
  let user: { username: string; token: string };

  beforeAll(async () => {
    t = await startTestSystem();
    tokens = hostileTokens({ key: t.key, issuer: t.issuer.issuer, audience: t.issuer.audience });
    user = await signUp(t, 'PARENT');
  });
  afterAll(async () => {
    await t.stop();
  });

  it('when the token is valid (control), then the query answers', async () => {
    const response = await t.gql<{ getUser: { username: string } }>(
      WHO_AM_I,
      { username: user.username },
      { token: tokens.signed(tokens.claims(user.username)) },
    );

    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    expect(response.data?.getUser.username).toBe(user.username);
  });

  it.each(ATTACKS)(
    'when the attack is %s, then it is UNAUTHENTICATED with HTTP 401 for that reason',
    async (_attack, reason, attackToken) => {
      const response = await t.gql(
        WHO_AM_I,
        { username: user.username },
        { token: attackToken(tokens, user.username) },
      );

      expectUnauthenticated(response);
      expect(response.errors?.[0].message).toMatch(reason);
    },
  );
});

describe('kid flood on the gateway', () => {
  let t: TestSystem;
  beforeAll(async () => {
    // Its own system: the flood must meet a gateway that has no keys cached yet.
    t = await startTestSystem();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('when hundreds of tokens with random kids arrive first, then the JWKS is fetched once and a valid token still works', async () => {
    const tokens = hostileTokens({ key: t.key, issuer: t.issuer.issuer, audience: t.issuer.audience });
    const flood = Array.from({ length: 300 }, () => tokens.randomKidJunkSignature());

    // One after another, as the penetration test sent them.
    const floodAnswers: GraphQLResponse[] = [];
    for (const token of flood) floodAnswers.push(await t.gql(WHO_AM_I, { username: 'mallory' }, { token }));
    const user = await signUp(t, 'NANNY');
    const valid = await t.gql<{ getUser: { username: string } }>(
      WHO_AM_I,
      { username: user.username },
      { token: user.token },
    );

    floodAnswers.forEach(expectUnauthenticated);
    expect(valid.errors).toBeUndefined();
    expect(valid.data?.getUser.username).toBe(user.username);
    expect(t.issuer.jwksRequestCount()).toBe(1);
  });
});
