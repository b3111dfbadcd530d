import { AppError } from '@sitter/ports';
import { VerifiedTokenCache, createAuthenticator, validatedAuthConfigSchema } from '../../src/auth';
import { AUDIENCE, ISSUER, RSA_KID, signToken, startJwksFixture, type JwksFixture } from './jwks-fixture';

const actor = { username: 'ada', roles: ['PARENT' as const] };

describe('verified token cache', () => {
  it('when a remembered token is asked for before it expires, then its caller comes back', () => {
    let now = 1_000_000;
    const cache = new VerifiedTokenCache(() => now, 60_000);
    cache.remember('t1', actor, now / 1000 + 30);

    now += 29_000;

    expect(cache.get('t1')).toEqual(actor);
  });

  it("when the token's exp has passed, then the cache forgets it even within the maximum age", () => {
    let now = 1_000_000;
    const cache = new VerifiedTokenCache(() => now, 60_000);
    cache.remember('t1', actor, now / 1000 + 10);

    now += 10_001;

    expect(cache.get('t1')).toBeUndefined();
  });

  it('when the maximum age has passed, then the cache forgets a long-lived token', () => {
    let now = 1_000_000;
    const cache = new VerifiedTokenCache(() => now, 60_000);
    cache.remember('t1', actor, now / 1000 + 3600);

    now += 60_001;

    expect(cache.get('t1')).toBeUndefined();
  });

  it('when more tokens than the bound are remembered, then the oldest are dropped first', () => {
    const cache = new VerifiedTokenCache(() => 0, 60_000, 2);
    cache.remember('t1', actor, 3600);
    cache.remember('t2', actor, 3600);

    cache.remember('t3', actor, 3600);

    expect([cache.get('t1'), cache.get('t2'), cache.get('t3')]).toEqual([undefined, actor, actor]);
  });
});

describe('authenticator with the cache', () => {
  let fixture: JwksFixture;
  beforeAll(async () => {
    fixture = await startJwksFixture();
  });
  afterAll(async () => {
    await fixture.stop().catch(() => undefined);
  });

  it('when a verified token comes again, then the cached caller is served until the maximum age', async () => {
    let now = Date.now();
    const authenticator = createAuthenticator(
      validatedAuthConfigSchema.parse({ JWKS_URI: fixture.jwksUri, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE }),
      { cache: new VerifiedTokenCache(() => now, 60_000), now: () => now },
    );
    const header = `Bearer ${signToken({ sub: 'ada', roles: ['PARENT'] }, fixture.rsa.privateKey, { keyid: RSA_KID })}`;
    const first = await authenticator.authenticate(header);

    const second = await authenticator.authenticate(header);
    now += 60_001;
    const reverified = await authenticator.authenticate(header);

    // A verification builds a new caller object; a cache hit hands back the remembered one.
    expect(second).toBe(first);
    expect(reverified).not.toBe(first);
    expect(reverified).toEqual(first);
  });

  it('when a cached token reaches its exp, then it is verified again and rejected as expired', async () => {
    let now = Date.now();
    const authenticator = createAuthenticator(
      validatedAuthConfigSchema.parse({ JWKS_URI: fixture.jwksUri, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE }),
      { cache: new VerifiedTokenCache(() => now, 60_000), now: () => now },
    );
    const exp = Math.floor(now / 1000) + 20;
    const header = `Bearer ${signToken({ sub: 'brief', exp }, fixture.rsa.privateKey, { keyid: RSA_KID })}`;
    const first = await authenticator.authenticate(header);

    now = exp * 1000 + 1;
    const late = await authenticator.authenticate(header).catch((error: unknown) => error);

    expect(first?.username).toBe('brief');
    expect(late).toBeInstanceOf(AppError);
    expect((late as AppError).message).toBe('token expired');
  });

  it('when a token failed verification, then it is not remembered and fails again', async () => {
    const authenticator = createAuthenticator(
      validatedAuthConfigSchema.parse({
        JWKS_URI: 'http://127.0.0.1:9/none',
        JWT_ISSUER: ISSUER,
        JWT_AUDIENCE: 'other',
      }),
    );
    const token = signToken({ sub: 'ada' }, 'not-used', { algorithm: 'HS256' });

    const attempts = await Promise.all([1, 2].map(() => authenticator.authenticate(`Bearer ${token}`).catch((e) => e)));

    expect(attempts.map((error) => (error as AppError).code)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED']);
  });
});
