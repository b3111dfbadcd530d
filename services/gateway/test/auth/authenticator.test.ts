import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AppError } from '@sitter/ports';
import { close, listen } from '@sitter/platform';
import { createAuthenticator, validatedAuthConfigSchema, type Authenticator } from '../../src/auth';
import {
  AUDIENCE,
  EC_KID,
  ISSUER,
  RSA_KID,
  hmacToken,
  nowInSeconds,
  signToken,
  startJwksFixture,
  unsignedToken,
  validClaims,
  type JwksFixture,
} from './jwks-fixture';

let fixture: JwksFixture;

beforeAll(async () => {
  fixture = await startJwksFixture();
});

afterAll(async () => {
  await fixture.stop();
});

const authenticatorFor = (env: Record<string, string>): Authenticator =>
  createAuthenticator(
    validatedAuthConfigSchema.parse({ JWKS_URI: fixture.jwksUri, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, ...env }),
  );

const bearer = (token: string) => `Bearer ${token}`;

/** Asserts an UNAUTHENTICATED rejection whose message gives the reason and never contains the token. */
const expectRejected = async (attempt: Promise<unknown>, reason: RegExp, token?: string): Promise<AppError> => {
  const error = await attempt.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(appError.code).toBe('UNAUTHENTICATED');
  expect(appError.message).toMatch(reason);
  if (token) {
    expect(appError.message).not.toContain(token);
    expect(appError.message).not.toContain(token.split('.')[1]);
  }
  return appError;
};

describe('authenticator with a JWKS endpoint', () => {
  let authenticator: Authenticator;

  beforeEach(() => {
    authenticator = authenticatorFor({});
  });

  it('when there is no authorization header, then there is no actor', async () => {
    await expect(authenticator.authenticate(undefined)).resolves.toBeUndefined();
  });

  it('when an RS256 token from the JWKS is valid, then the actor has its subject and roles', async () => {
    const token = signToken({ roles: ['PARENT', 'ADMIN'] }, fixture.rsa.privateKey, {
      keyid: RSA_KID,
      subject: 'alice-rs',
    });

    const actor = await authenticator.authenticate(bearer(token));

    expect(actor).toEqual({ username: 'alice-rs', roles: ['PARENT', 'ADMIN'] });
  });

  it('when an ES256 token from the JWKS is valid, then it is accepted', async () => {
    const token = signToken({ roles: ['NANNY'] }, fixture.ec.privateKey, {
      algorithm: 'ES256',
      keyid: EC_KID,
      subject: 'nina-es',
    });

    const actor = await authenticator.authenticate(bearer(token));

    expect(actor).toEqual({ username: 'nina-es', roles: ['NANNY'] });
  });

  it('when the scheme is written in lower case, then the token is still accepted', async () => {
    const token = signToken({ roles: [] }, fixture.rsa.privateKey, { keyid: RSA_KID, subject: 'lower-case' });

    const actor = await authenticator.authenticate(`bearer ${token}`);

    expect(actor?.username).toBe('lower-case');
  });

  it('when the roles claim is a space and comma separated string in any case, then each known role is mapped', async () => {
    const token = signToken({ roles: 'parent, Nanny gardener' }, fixture.rsa.privateKey, {
      keyid: RSA_KID,
      subject: 'string-roles',
    });

    const actor = await authenticator.authenticate(bearer(token));

    expect(actor?.roles).toEqual(['PARENT', 'NANNY']);
  });

  it('when the roles array holds unknown values, then they are ignored', async () => {
    const token = signToken({ roles: ['admin', 'superuser', 42] }, fixture.rsa.privateKey, {
      keyid: RSA_KID,
      subject: 'array-roles',
    });

    const actor = await authenticator.authenticate(bearer(token));

    expect(actor?.roles).toEqual(['ADMIN']);
  });

  it('when the header is not a bearer token, then it is rejected', async () => {
    await expectRejected(authenticator.authenticate('Basic YWxpY2U6c2VjcmV0'), /Bearer <token>/);
    await expectRejected(authenticator.authenticate('Bearer'), /Bearer <token>/);
    await expectRejected(authenticator.authenticate(''), /Bearer <token>/);
  });

  it('when the token is garbled, then it is rejected as malformed', async () => {
    const token = 'not-a.jwt-at.all';

    await expectRejected(authenticator.authenticate(bearer(token)), /malformed/, token);
    await expectRejected(authenticator.authenticate(bearer('abc')), /malformed/);
  });

  it('when the token expired, then it is rejected as expired', async () => {
    const token = signToken({ roles: ['PARENT'], exp: nowInSeconds() - 60 }, fixture.rsa.privateKey, {
      keyid: RSA_KID,
      subject: 'expired',
    });

    await expectRejected(authenticator.authenticate(bearer(token)), /^token expired$/, token);
  });

  it('when the token is not valid yet, then it is rejected', async () => {
    const token = signToken({ roles: ['PARENT'] }, fixture.rsa.privateKey, {
      keyid: RSA_KID,
      subject: 'early',
      notBefore: '1h',
    });

    await expectRejected(authenticator.authenticate(bearer(token)), /not valid yet/, token);
  });

  it('when the issuer differs, then it is rejected', async () => {
    const token = signToken({}, fixture.rsa.privateKey, {
      keyid: RSA_KID,
      subject: 'wrong-iss',
      issuer: 'https://someone-else.example',
    });

    await expectRejected(authenticator.authenticate(bearer(token)), /issuer/, token);
  });

  it('when the audience differs, then it is rejected', async () => {
    const token = signToken({}, fixture.rsa.privateKey, {
      keyid: RSA_KID,
      subject: 'wrong-aud',
      audience: 'another-api',
    });

    await expectRejected(authenticator.authenticate(bearer(token)), /audience/, token);
  });

  it('when the kid is not in the JWKS, then it is rejected as an unknown key', async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const token = signToken({}, stranger.privateKey, { keyid: 'no-such-kid', subject: 'stranger' });

    await expectRejected(authenticator.authenticate(bearer(token)), /unknown key/, token);
  });

  it('when the token names no kid and the JWKS holds several keys, then it is rejected', async () => {
    const token = signToken({}, fixture.rsa.privateKey, { subject: 'no-kid' });

    await expectRejected(authenticator.authenticate(bearer(token)), /names no signing key/, token);
  });

  it('when a known kid is used with a different private key, then the signature is rejected', async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const token = signToken({}, stranger.privateKey, { keyid: RSA_KID, subject: 'forger' });

    await expectRejected(authenticator.authenticate(bearer(token)), /signature is invalid/, token);
  });

  it('when the token is unsigned (alg none), then it is rejected', async () => {
    const token = unsignedToken(validClaims('nobody'), RSA_KID);

    await expectRejected(authenticator.authenticate(bearer(token)), /algorithm is not accepted/, token);
  });

  it('when the token is HS256 with any secret, then it is rejected', async () => {
    const token = hmacToken(validClaims('hmac-user'), 'shared-secret', RSA_KID);

    await expectRejected(authenticator.authenticate(bearer(token)), /algorithm is not accepted/, token);
  });

  it('when the token is HS256 keyed with the RSA public key PEM, then it is rejected', async () => {
    const publicPem = fixture.rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const token = hmacToken(validClaims('confused'), publicPem, RSA_KID);

    await expectRejected(authenticator.authenticate(bearer(token)), /algorithm is not accepted/, token);
  });

  it('when the algorithm is asymmetric but not configured, then it is rejected', async () => {
    const token = signToken({}, fixture.rsa.privateKey, { algorithm: 'RS384', keyid: RSA_KID, subject: 'rs384' });

    await expectRejected(authenticator.authenticate(bearer(token)), /algorithm is not accepted/, token);
  });

  it('when an ES256 header names the RSA key, then it is rejected as a key mismatch', async () => {
    const token = signToken({}, fixture.ec.privateKey, { algorithm: 'ES256', keyid: RSA_KID, subject: 'mixed' });

    await expectRejected(authenticator.authenticate(bearer(token)), /does not match its signing key/, token);
  });

  it('when the token has no exp, then it is rejected before any key lookup', async () => {
    const token = jwt.sign({ sub: 'forever' }, fixture.rsa.privateKey, {
      algorithm: 'RS256',
      keyid: RSA_KID,
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    const fetchesBefore = fixture.jwksRequestCount();

    await expectRejected(authenticator.authenticate(bearer(token)), /no expiry \(exp\)/, token);

    expect(fixture.jwksRequestCount()).toBe(fetchesBefore);
  });

  it('when the header names a critical extension (crit), then it is rejected before any key lookup', async () => {
    const token = signToken({}, fixture.rsa.privateKey, {
      subject: 'critical',
      header: { alg: 'RS256', kid: RSA_KID, crit: ['https://extension.example/unknown'] },
    });
    const fetchesBefore = fixture.jwksRequestCount();

    await expectRejected(authenticator.authenticate(bearer(token)), /critical extensions \(crit\)/, token);

    expect(fixture.jwksRequestCount()).toBe(fetchesBefore);
  });

  // Signed with the issuer's real key, so the header parameter is the only thing wrong with each token.
  it.each([
    ['jku', 'https://attacker.example/jwks.json'],
    ['x5u', 'https://attacker.example/cert.pem'],
    ['jwk', { kty: 'oct', k: 'c2VjcmV0' }],
    ['x5c', ['MIIBszCCAVmgAwIBAgIUQ']],
  ])('when the header carries its own key (%s), then it is rejected before any key lookup', async (name, value) => {
    const token = signToken({}, fixture.rsa.privateKey, {
      subject: `carries-${name}`,
      header: { alg: 'RS256', kid: RSA_KID, [name]: value },
    });
    const fetchesBefore = fixture.jwksRequestCount();

    await expectRejected(
      authenticator.authenticate(bearer(token)),
      new RegExp(`carries its own key \\(${name}\\)`),
      token,
    );

    expect(fixture.jwksRequestCount()).toBe(fetchesBefore);
  });

  it('when the token is longer than JWT_MAX_TOKEN_BYTES, then it is rejected before any key lookup', async () => {
    const token = signToken({ padding: 'x'.repeat(9_000) }, fixture.rsa.privateKey, {
      keyid: RSA_KID,
      subject: 'bulky',
    });
    const fetchesBefore = fixture.jwksRequestCount();

    await expectRejected(authenticator.authenticate(bearer(token)), /larger than 8192 bytes/, token);

    expect(fixture.jwksRequestCount()).toBe(fetchesBefore);
  });

  it('when JWT_MAX_TOKEN_BYTES allows a long token, then it is verified like any other', async () => {
    const token = signToken({ padding: 'x'.repeat(9_000) }, fixture.rsa.privateKey, {
      keyid: RSA_KID,
      subject: 'bulky-allowed',
    });

    const actor = await authenticatorFor({ JWT_MAX_TOKEN_BYTES: '16384' }).authenticate(bearer(token));

    expect(actor?.username).toBe('bulky-allowed');
  });

  it('when the username claim is missing, then it is rejected naming the claim', async () => {
    const token = signToken({ roles: ['PARENT'] }, fixture.rsa.privateKey, { keyid: RSA_KID });

    await expectRejected(authenticator.authenticate(bearer(token)), /"sub" claim/, token);
  });
});

describe('authenticator claim settings', () => {
  it('when roles come from cognito:groups through a ROLE_MAP, then groups map case-insensitively', async () => {
    const authenticator = authenticatorFor({
      JWT_ROLES_CLAIM: 'cognito:groups',
      ROLE_MAP: 'Parents=PARENT,nannies=NANNY,admins=ADMIN',
    });
    const token = signToken({ 'cognito:groups': ['parents', 'ADMINS', 'everyone', 'NANNY'] }, fixture.rsa.privateKey, {
      keyid: RSA_KID,
      subject: 'cognito-user',
    });

    const actor = await authenticator.authenticate(bearer(token));

    expect(actor?.roles).toEqual(['PARENT', 'ADMIN']);
  });

  it('when a custom username claim is configured, then the username comes from it', async () => {
    const authenticator = authenticatorFor({ JWT_USERNAME_CLAIM: 'cognito:username' });
    const token = signToken({ 'cognito:username': 'carol-custom', roles: 'PARENT' }, fixture.rsa.privateKey, {
      keyid: RSA_KID,
      subject: '2f1c6a8e-uuid',
    });

    const actor = await authenticator.authenticate(bearer(token));

    expect(actor).toEqual({ username: 'carol-custom', roles: ['PARENT'] });
  });

  it('when the custom username claim is absent, then the token is rejected', async () => {
    const authenticator = authenticatorFor({ JWT_USERNAME_CLAIM: 'preferred_username' });
    const token = signToken({}, fixture.rsa.privateKey, { keyid: RSA_KID, subject: 'has-only-sub' });

    await expectRejected(authenticator.authenticate(bearer(token)), /"preferred_username" claim/, token);
  });
});

describe('authenticator when the JWKS endpoint fails', () => {
  it('when the endpoint answers an error, then tokens are rejected as keys unavailable', async () => {
    const authenticator = authenticatorFor({ JWKS_URI: fixture.brokenJwksUri });
    const token = signToken({}, fixture.rsa.privateKey, { keyid: RSA_KID, subject: 'no-keys' });

    await expectRejected(authenticator.authenticate(bearer(token)), /signing keys unavailable/, token);
  });

  it('when nothing listens at the endpoint, then tokens are rejected as keys unavailable', async () => {
    const { server, port } = await listen((_req, res) => res.end(), 0, '127.0.0.1');
    await close(server);
    const authenticator = authenticatorFor({ JWKS_URI: `http://127.0.0.1:${port}/jwks.json` });
    const token = signToken({}, fixture.rsa.privateKey, { keyid: RSA_KID, subject: 'no-keys' });

    await expectRejected(authenticator.authenticate(bearer(token)), /signing keys unavailable/, token);
  });
});

describe('authenticator with a static public key', () => {
  const staticAuthenticator = () =>
    createAuthenticator(
      validatedAuthConfigSchema.parse({
        // As it arrives from a one-line env var: newlines written as "\n".
        JWT_PUBLIC_KEY: fixture.rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString().replace(/\n/g, '\\n'),
        JWT_ISSUER: ISSUER,
        JWT_AUDIENCE: AUDIENCE,
      }),
    );

  it('when a token is signed with the matching private key, then it is accepted without a kid', async () => {
    const token = signToken({ roles: ['ADMIN'] }, fixture.rsa.privateKey, { subject: 'static-admin' });

    const actor = await staticAuthenticator().authenticate(bearer(token));

    expect(actor).toEqual({ username: 'static-admin', roles: ['ADMIN'] });
  });

  it('when a token is signed with another key, then its signature is rejected', async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const token = signToken({}, stranger.privateKey, { subject: 'static-forger' });

    await expectRejected(staticAuthenticator().authenticate(bearer(token)), /signature is invalid/, token);
  });

  it('when a token is HS256 keyed with the configured public key PEM, then it is rejected', async () => {
    const publicPem = fixture.rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const token = hmacToken(validClaims('static-confused'), publicPem);

    await expectRejected(staticAuthenticator().authenticate(bearer(token)), /algorithm is not accepted/, token);
  });

  it('when an expired token is signed with the matching key, then it is rejected as expired', async () => {
    const token = signToken({ exp: nowInSeconds() - 1 }, fixture.rsa.privateKey, {
      subject: 'static-expired',
    });

    await expectRejected(staticAuthenticator().authenticate(bearer(token)), /^token expired$/, token);
  });
});

describe('authenticator with both a JWKS endpoint and a static public key', () => {
  const staticPair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const bothAuthenticator = () =>
    authenticatorFor({ JWT_PUBLIC_KEY: staticPair.publicKey.export({ format: 'pem', type: 'spki' }).toString() });

  it('when a token names no kid, then the static key verifies it', async () => {
    const token = signToken({ roles: 'NANNY' }, staticPair.privateKey, { algorithm: 'ES256', subject: 'both-static' });

    const actor = await bothAuthenticator().authenticate(bearer(token));

    expect(actor).toEqual({ username: 'both-static', roles: ['NANNY'] });
  });

  it('when a token names a JWKS kid, then the JWKS key verifies it', async () => {
    const token = signToken({}, fixture.rsa.privateKey, { keyid: RSA_KID, subject: 'both-jwks' });

    const actor = await bothAuthenticator().authenticate(bearer(token));

    expect(actor?.username).toBe('both-jwks');
  });
});

describe('createAuthenticator configuration', () => {
  it('when neither JWKS_URI nor JWT_PUBLIC_KEY is set, then it refuses to build', () => {
    const config = validatedAuthConfigSchema.safeParse({ JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE });
    expect(config.success).toBe(false);

    const unchecked = {
      ...validatedAuthConfigSchema.parse({ JWKS_URI: fixture.jwksUri, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE }),
    };
    delete unchecked.JWKS_URI;

    expect(() => createAuthenticator(unchecked)).toThrow(/JWKS_URI or JWT_PUBLIC_KEY/);
  });
});
