import { generateKeyPairSync } from 'node:crypto';
import { loadConfig, portSchema, z } from '@sitter/platform';
import { authConfigSchema, mapRoles, requireAuthKeySource, validatedAuthConfigSchema } from '../../src/auth';

const baseEnv = {
  JWKS_URI: 'https://idp.auth-config-test.example/.well-known/jwks.json',
  JWT_ISSUER: 'https://idp.auth-config-test.example',
  JWT_AUDIENCE: 'sitter',
};

describe('authConfigSchema', () => {
  it('when only the required values are set, then the defaults apply', () => {
    const config = loadConfig('gateway', validatedAuthConfigSchema, baseEnv);

    expect(config).toEqual({
      ...baseEnv,
      JWT_ALGORITHMS: ['RS256', 'ES256'],
      JWT_ROLES_CLAIM: 'roles',
      JWT_USERNAME_CLAIM: 'sub',
      API_KEYS: [],
      API_KEY_RATE_LIMIT: 60,
      JWKS_REFRESH_SECONDS: 30,
      JWKS_MAX_AGE_SECONDS: 600,
      JWKS_TIMEOUT_MS: 5000,
      JWT_MAX_TOKEN_BYTES: 8192,
      API_KEY_FAILURE_LIMIT: 10,
    });
  });

  it('when the JWKS cache and token size settings are given, then they are parsed as numbers', () => {
    const config = loadConfig('gateway', validatedAuthConfigSchema, {
      ...baseEnv,
      JWKS_REFRESH_SECONDS: '5',
      JWKS_MAX_AGE_SECONDS: '5',
      JWKS_TIMEOUT_MS: '250',
      JWT_MAX_TOKEN_BYTES: '4096',
    });

    expect(config).toMatchObject({
      JWKS_REFRESH_SECONDS: 5,
      JWKS_MAX_AGE_SECONDS: 5,
      JWKS_TIMEOUT_MS: 250,
      JWT_MAX_TOKEN_BYTES: 4096,
    });
  });

  it('when the JWKS cache age is shorter than the refresh interval, then loading fails naming it', () => {
    expect(() =>
      loadConfig('gateway', validatedAuthConfigSchema, {
        ...baseEnv,
        JWKS_REFRESH_SECONDS: '60',
        JWKS_MAX_AGE_SECONDS: '59',
      }),
    ).toThrow(/JWKS_MAX_AGE_SECONDS: must be at least JWKS_REFRESH_SECONDS/);
  });

  it.each(['JWKS_REFRESH_SECONDS', 'JWKS_MAX_AGE_SECONDS', 'JWKS_TIMEOUT_MS', 'JWT_MAX_TOKEN_BYTES'])(
    'when %s is zero, then loading fails naming it',
    (name) => {
      expect(() => loadConfig('gateway', validatedAuthConfigSchema, { ...baseEnv, [name]: '0' })).toThrow(
        new RegExp(name),
      );
    },
  );

  it('when neither JWKS_URI nor JWT_PUBLIC_KEY is set, then loading fails naming both', () => {
    const { JWKS_URI: _unused, ...env } = baseEnv;

    expect(() => loadConfig('gateway', validatedAuthConfigSchema, env)).toThrow(/JWKS_URI.*JWT_PUBLIC_KEY/);
  });

  it('when merged into a service schema, then the key source check still applies', () => {
    const gatewaySchema = requireAuthKeySource(z.object({ PORT: portSchema(4000) }).merge(authConfigSchema));

    expect(() => loadConfig('gateway', gatewaySchema, { ...baseEnv, JWKS_URI: '' })).toThrow(
      /JWKS_URI or JWT_PUBLIC_KEY/,
    );
    expect(loadConfig('gateway', gatewaySchema, baseEnv).PORT).toBe(4000);
  });

  it.each(['HS256', 'none', 'RS256,HS512', ''])('when JWT_ALGORITHMS is "%s", then loading fails', (value) => {
    expect(() => loadConfig('gateway', validatedAuthConfigSchema, { ...baseEnv, JWT_ALGORITHMS: value })).toThrow(
      /JWT_ALGORITHMS/,
    );
  });

  it('when JWT_ALGORITHMS lists allowed algorithms, then they are parsed', () => {
    const config = authConfigSchema.parse({ ...baseEnv, JWT_ALGORITHMS: ' ps256, es384 ,RS512' });

    expect(config.JWT_ALGORITHMS).toEqual(['PS256', 'ES384', 'RS512']);
  });

  it('when JWT_PUBLIC_KEY has literal \\n sequences, then they become newlines', () => {
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .publicKey.export({ format: 'pem', type: 'spki' })
      .toString()
      .trim();

    const config = validatedAuthConfigSchema.parse({
      JWT_ISSUER: 'issuer',
      JWT_AUDIENCE: 'audience',
      JWT_PUBLIC_KEY: pem.replace(/\n/g, '\\n'),
    });

    expect(config.JWT_PUBLIC_KEY).toBe(pem);
  });

  it('when JWT_PUBLIC_KEY is not a PEM key, then loading fails', () => {
    expect(() => loadConfig('gateway', validatedAuthConfigSchema, { ...baseEnv, JWT_PUBLIC_KEY: 'hello' })).toThrow(
      /JWT_PUBLIC_KEY: is not a PEM-encoded public key/,
    );
  });

  it('when ROLE_MAP and API_KEYS are set, then they are parsed into a map and a list', () => {
    const config = authConfigSchema.parse({
      ...baseEnv,
      ROLE_MAP: 'Parents=PARENT, nannies=nanny,admins=ADMIN',
      API_KEYS: 'key-one, key-two,,',
      API_KEY_RATE_LIMIT: '5',
    });

    expect(config.ROLE_MAP).toEqual({ parents: 'PARENT', nannies: 'NANNY', admins: 'ADMIN' });
    expect(config.API_KEYS).toEqual(['key-one', 'key-two']);
    expect(config.API_KEY_RATE_LIMIT).toBe(5);
  });

  it('when ROLE_MAP names an unknown role, then loading fails naming the entry', () => {
    expect(() =>
      loadConfig('gateway', validatedAuthConfigSchema, { ...baseEnv, ROLE_MAP: 'guardians=GUARDIAN' }),
    ).toThrow(/ROLE_MAP: .*guardians=GUARDIAN/);
  });
});

describe('mapRoles', () => {
  it('when the claim is a string, then it is split on spaces and commas', () => {
    expect(mapRoles('PARENT nanny,admin')).toEqual(['PARENT', 'NANNY', 'ADMIN']);
  });

  it('when the claim repeats a role or is not a string or array, then the result has no duplicates or is empty', () => {
    expect(mapRoles(['PARENT', 'parent'])).toEqual(['PARENT']);
    expect(mapRoles(42)).toEqual([]);
    expect(mapRoles(undefined)).toEqual([]);
  });

  it('when a role map is given, then only mapped names count, matched case-insensitively', () => {
    expect(mapRoles(['Nannies', 'PARENT'], { NANNIES: 'NANNY' })).toEqual(['NANNY']);
  });
});
