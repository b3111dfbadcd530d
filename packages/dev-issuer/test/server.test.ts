import { createPublicKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import {
  DEV_AUDIENCE,
  DEV_ISSUER,
  JWKS_PATH,
  loadOrCreateSigningKey,
  signDevToken,
  startDevIssuer,
  type RunningDevIssuer,
} from '../src';
import { withTempDataDir } from './helpers';

describe('dev issuer server', () => {
  const newDataDir = withTempDataDir();
  const running: RunningDevIssuer[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((issuer) => issuer.stop()));
  });

  const start = async (dataDir: string) => {
    const issuer = await startDevIssuer({ dataDir, port: 0 });
    running.push(issuer);
    return issuer;
  };

  it('when the JWKS is requested, then it serves the persisted public key', async () => {
    const dataDir = await newDataDir();
    const issuer = await start(dataDir);

    const response = await fetch(issuer.jwksUri);

    expect(response.status).toBe(200);
    const body = (await response.json()) as { keys: Array<Record<string, string>> };
    expect(body.keys).toHaveLength(1);
    expect(body.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(body.keys[0]).not.toHaveProperty('d');
    expect(issuer.jwksUri).toBe(`http://127.0.0.1:${issuer.port}${JWKS_PATH}`);
    expect(issuer.issuer).toBe(DEV_ISSUER);
    expect(issuer.audience).toBe(DEV_AUDIENCE);
  });

  it('when the JWKS is fetched twice, then the issuer counts two fetches and not other requests', async () => {
    const issuer = await start(await newDataDir());
    const before = issuer.jwksRequestCount();

    await fetch(issuer.jwksUri);
    await fetch(issuer.jwksUri);
    await fetch(`http://127.0.0.1:${issuer.port}/healthz`);

    expect(before).toBe(0);
    expect(issuer.jwksRequestCount()).toBe(2);
  });

  it('when the health endpoint is requested, then it answers ok', async () => {
    const issuer = await start(await newDataDir());

    const response = await fetch(`http://127.0.0.1:${issuer.port}/healthz`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('when a dev token is signed, then it verifies against the served JWK', async () => {
    const dataDir = await newDataDir();
    const issuer = await start(dataDir);
    const key = await loadOrCreateSigningKey(dataDir);
    const token = signDevToken(key, { sub: 'alice-server-test', roles: ['PARENT', 'ADMIN'], expiresIn: '5m' });

    const { keys } = (await (await fetch(issuer.jwksUri)).json()) as { keys: Array<{ kid: string }> };
    const decoded = jwt.decode(token, { complete: true });
    const served = keys.find((jwk) => jwk.kid === decoded?.header.kid);
    expect(served).toBeDefined();
    const payload = jwt.verify(token, createPublicKey({ key: served!, format: 'jwk' }), {
      algorithms: ['RS256'],
      issuer: DEV_ISSUER,
      audience: DEV_AUDIENCE,
    });

    expect(payload).toMatchObject({ sub: 'alice-server-test', roles: ['PARENT', 'ADMIN'] });
  });
});
