import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { AppError } from '@sitter/ports';
import { createAuthenticator, validatedAuthConfigSchema } from '../../src/auth';
import { JwksKeySource, type JwksKeySourceOptions } from '../../src/auth/jwks-key-source';
import { AUDIENCE, EC_KID, ISSUER, RSA_KID, signToken, startJwksFixture, type JwksFixture } from './jwks-fixture';

const REFRESH_INTERVAL_MS = 30_000;
const MAX_AGE_MS = 600_000;

let fixture: JwksFixture;
let clock: number;

beforeEach(async () => {
  fixture = await startJwksFixture();
  clock = Date.now();
});

afterEach(async () => {
  // Some tests stop the issuer themselves.
  await fixture.stop().catch(() => undefined);
});

const keySource = (overrides: Partial<JwksKeySourceOptions> = {}) =>
  new JwksKeySource({
    jwksUri: fixture.jwksUri,
    refreshIntervalMs: REFRESH_INTERVAL_MS,
    maxAgeMs: MAX_AGE_MS,
    timeoutMs: 1_000,
    now: () => clock,
    ...overrides,
  });

const asJwk = (key: KeyObject | string) => (key as KeyObject).export({ format: 'jwk' });

/** The reason a lookup was refused; fails the test when the lookup succeeds or fails otherwise. */
const refusal = async (lookup: Promise<unknown>): Promise<string> => {
  const error = await lookup.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('UNAUTHENTICATED');
  return (error as AppError).message;
};

const randomKid = () => `flood-${randomUUID()}`;

describe('JWKS key source', () => {
  it('when a known kid is asked for again within the cache age, then the JWKS is fetched once', async () => {
    const keys = keySource();

    const first = await keys.keyFor(RSA_KID);
    clock += MAX_AGE_MS - 1;
    const again = await keys.keyFor(RSA_KID);

    expect(asJwk(first.key)).toEqual(expect.objectContaining(asJwk(fixture.rsa.publicKey)));
    expect(first.algorithm).toBe('RS256');
    expect(again).toBe(first);
    expect(fixture.jwksRequestCount()).toBe(1);
  });

  it('when many lookups arrive at once with nothing cached, then they share a single fetch', async () => {
    const keys = keySource();

    const found = await Promise.all(Array.from({ length: 50 }, (_, i) => keys.keyFor(i % 2 ? RSA_KID : EC_KID)));

    expect(new Set(found.map((key) => key.key)).size).toBe(2);
    expect(fixture.jwksRequestCount()).toBe(1);
  });

  it('when unknown kids arrive within the refresh interval, then they are refused from the cache without a fetch', async () => {
    const keys = keySource();
    await keys.keyFor(RSA_KID);
    clock += 1;

    const reasons = await Promise.all(Array.from({ length: 200 }, () => refusal(keys.keyFor(randomKid()))));
    clock += REFRESH_INTERVAL_MS - 2;
    const lastReason = await refusal(keys.keyFor(randomKid()));
    const known = await keys.keyFor(RSA_KID);

    expect(new Set([...reasons, lastReason])).toEqual(new Set(['token is signed with an unknown key (kid)']));
    expect(known.algorithm).toBe('RS256');
    expect(fixture.jwksRequestCount()).toBe(1);
  });

  it('when the issuer publishes a new key, then it is accepted once the refresh interval has passed', async () => {
    const keys = keySource();
    await keys.keyFor(RSA_KID);
    const rotated = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    fixture.publish([
      { kid: RSA_KID, publicKey: fixture.rsa.publicKey, alg: 'RS256' },
      { kid: 'rotated-key', publicKey: rotated.publicKey, alg: 'ES256' },
    ]);

    clock += REFRESH_INTERVAL_MS - 1;
    const tooSoon = await refusal(keys.keyFor('rotated-key'));
    clock += 1;
    const found = await keys.keyFor('rotated-key');

    expect(tooSoon).toMatch(/unknown key/);
    expect(asJwk(found.key)).toEqual(expect.objectContaining(asJwk(rotated.publicKey)));
    expect(found.algorithm).toBe('ES256');
    expect(fixture.jwksRequestCount()).toBe(2);
  });

  it('when the issuer withdraws a key, then it is refused once the cache age has passed', async () => {
    const keys = keySource();
    await keys.keyFor(RSA_KID);
    fixture.publish([{ kid: EC_KID, publicKey: fixture.ec.publicKey }]);

    clock += MAX_AGE_MS - 1;
    const stillCached = await keys.keyFor(RSA_KID);
    clock += 1;
    const reason = await refusal(keys.keyFor(RSA_KID));

    expect(stillCached.algorithm).toBe('RS256');
    expect(reason).toMatch(/unknown key/);
    expect(fixture.jwksRequestCount()).toBe(2);
  });

  it('when the issuer is down, then the last keys it published keep serving past the cache age', async () => {
    const keys = keySource();
    const before = await keys.keyFor(RSA_KID);
    await fixture.stop();

    clock += MAX_AGE_MS + 1;
    const afterAge = await keys.keyFor(RSA_KID);
    clock += MAX_AGE_MS;
    const muchLater = await keys.keyFor(RSA_KID);

    expect(afterAge).toBe(before);
    expect(muchLater).toBe(before);
  });

  it.each(['rate-limited', 'server-error'] as const)(
    'when the issuer answers %s, then the last keys keep serving and it is asked at most once per interval',
    async (answer) => {
      const keys = keySource();
      const before = await keys.keyFor(RSA_KID);
      fixture.answerWith(answer);

      clock += MAX_AGE_MS;
      const stale = await Promise.all(Array.from({ length: 20 }, () => keys.keyFor(RSA_KID)));
      const unknown = await Promise.all(Array.from({ length: 20 }, () => refusal(keys.keyFor(randomKid()))));
      const fetchesWithinInterval = fixture.jwksRequestCount();
      clock += REFRESH_INTERVAL_MS;
      const nextInterval = await keys.keyFor(RSA_KID);

      expect(new Set([...stale, nextInterval])).toEqual(new Set([before]));
      expect(new Set(unknown)).toEqual(new Set(['token is signed with an unknown key (kid)']));
      expect(fetchesWithinInterval).toBe(2);
      expect(fixture.jwksRequestCount()).toBe(3);
    },
  );

  it('when the issuer does not answer, then a lookup gives up after the timeout and serves the last keys', async () => {
    const keys = keySource({ timeoutMs: 200 });
    const before = await keys.keyFor(RSA_KID);
    fixture.answerWith('hang');

    clock += MAX_AGE_MS;
    const started = Date.now();
    const stale = await keys.keyFor(RSA_KID);
    const waitedMs = Date.now() - started;

    expect(stale).toBe(before);
    expect(waitedMs).toBeGreaterThanOrEqual(150);
    expect(waitedMs).toBeLessThan(2_000);
    expect(fixture.jwksRequestCount()).toBe(2);
  });

  it('when the issuer has never answered, then lookups are refused as keys unavailable until the next interval', async () => {
    const keys = keySource();
    fixture.answerWith('server-error');

    const first = await refusal(keys.keyFor(RSA_KID));
    const second = await refusal(keys.keyFor(RSA_KID));
    const fetchesAfterFailure = fixture.jwksRequestCount();
    fixture.answerWith('keys');
    clock += REFRESH_INTERVAL_MS;
    const recovered = await keys.keyFor(RSA_KID);

    expect([first, second]).toEqual(['signing keys unavailable', 'signing keys unavailable']);
    expect(fetchesAfterFailure).toBe(1);
    expect(recovered.algorithm).toBe('RS256');
  });

  it('when a token names no kid and the issuer publishes a single key, then that key is used', async () => {
    fixture.publish([{ kid: RSA_KID, publicKey: fixture.rsa.publicKey, alg: 'RS256' }]);

    const found = await keySource().keyFor(undefined);

    expect(asJwk(found.key)).toEqual(expect.objectContaining(asJwk(fixture.rsa.publicKey)));
  });
});

describe('kid flood through the authenticator', () => {
  it('when hundreds of tokens name random kids, then the JWKS is fetched at most once per interval and valid tokens keep verifying', async () => {
    const authenticator = createAuthenticator(
      validatedAuthConfigSchema.parse({
        JWKS_URI: fixture.jwksUri,
        JWT_ISSUER: ISSUER,
        JWT_AUDIENCE: AUDIENCE,
        JWKS_REFRESH_SECONDS: String(REFRESH_INTERVAL_MS / 1000),
      }),
      { now: () => clock },
    );
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const startedAt = clock;
    const stepMs = 15_000;
    const valid: Array<string | undefined> = [];
    const floodReasons = new Set<string>();

    for (let step = 0; step < 10; step += 1) {
      const flood = Array.from({ length: 30 }, () =>
        signToken({ sub: 'mallory' }, stranger.privateKey, { keyid: randomKid() }),
      );
      const genuine = signToken({ sub: `user-${step}` }, fixture.rsa.privateKey, { keyid: RSA_KID });
      const [actor, ...reasons] = await Promise.all([
        authenticator.authenticate(`Bearer ${genuine}`),
        ...flood.map((token) => refusal(authenticator.authenticate(`Bearer ${token}`))),
      ]);
      valid.push((actor as { username: string } | undefined)?.username);
      (reasons as string[]).forEach((reason) => floodReasons.add(reason));
      clock += stepMs;
    }

    const intervalsElapsed = Math.floor((clock - stepMs - startedAt) / REFRESH_INTERVAL_MS);
    expect(valid).toEqual(Array.from({ length: 10 }, (_, step) => `user-${step}`));
    expect(floodReasons).toEqual(new Set(['token is signed with an unknown key (kid)']));
    expect(fixture.jwksRequestCount()).toBeLessThanOrEqual(1 + intervalsElapsed);
  });
});
