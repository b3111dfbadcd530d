import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { jwkThumbprint, loadOrCreateSigningKey, signingKeyPath } from '../src';
import { withTempDataDir } from './helpers';

describe('dev signing key', () => {
  const newDataDir = withTempDataDir();

  it('when two loads race on a fresh data dir, then both get the same key and one file remains', async () => {
    const dataDir = await newDataDir();

    const [first, second] = await Promise.all([loadOrCreateSigningKey(dataDir), loadOrCreateSigningKey(dataDir)]);

    expect(second.kid).toBe(first.kid);
    expect(second.privateKeyPem).toBe(first.privateKeyPem);
    expect(await readdir(join(dataDir, 'dev-issuer'))).toEqual(['signing-key.pem']);
  });

  it('when the key exists, then a later load reuses it', async () => {
    const dataDir = await newDataDir();
    const created = await loadOrCreateSigningKey(dataDir);

    const reloaded = await loadOrCreateSigningKey(dataDir);

    expect(reloaded.kid).toBe(created.kid);
  });

  it('when the key is created, then it is a private RSA 2048 PEM readable only by its owner', async () => {
    const dataDir = await newDataDir();

    const key = await loadOrCreateSigningKey(dataDir);

    const fileStat = await stat(signingKeyPath(dataDir));
    expect(fileStat.mode & 0o777).toBe(0o600);
    const privateKey = createPrivateKey(key.privateKeyPem);
    expect(privateKey.asymmetricKeyType).toBe('rsa');
    expect(privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it('when the public JWK is described, then its kid is the RFC 7638 thumbprint and it carries no private part', async () => {
    const dataDir = await newDataDir();

    const key = await loadOrCreateSigningKey(dataDir);

    const derived = createPublicKey(key.privateKeyPem).export({ format: 'jwk' });
    expect(key.publicJwk).toEqual({ kty: 'RSA', n: derived.n, e: derived.e, kid: key.kid, alg: 'RS256', use: 'sig' });
    expect(key.kid).toBe(jwkThumbprint(derived));
    expect(key.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('jwkThumbprint', () => {
  it('when given the RFC 7638 example key, then it returns the published thumbprint', () => {
    const rfcExample = {
      kty: 'RSA',
      n:
        '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMs' +
        'tn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajr' +
        'n1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
      e: 'AQAB',
      alg: 'RS256',
      kid: '2011-04-29',
    };

    expect(jwkThumbprint(rfcExample)).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });
});
