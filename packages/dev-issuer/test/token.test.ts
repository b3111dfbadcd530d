import jwt from 'jsonwebtoken';
import { loadOrCreateSigningKey, signDevToken } from '../src';
import { withTempDataDir } from './helpers';

describe('signDevToken', () => {
  const newDataDir = withTempDataDir();

  it('when signed with defaults, then it is RS256 with the kid, the dev issuer, audience and a one-hour lifetime', async () => {
    const key = await loadOrCreateSigningKey(await newDataDir());

    const token = signDevToken(key, { sub: 'bob-token-test', roles: ['NANNY'] });

    const decoded = jwt.decode(token, { complete: true }) as jwt.Jwt & { payload: jwt.JwtPayload };
    expect(decoded.header).toMatchObject({ alg: 'RS256', kid: key.kid });
    expect(decoded.payload).toMatchObject({
      sub: 'bob-token-test',
      roles: ['NANNY'],
      iss: 'sitter-dev-issuer',
      aud: 'sitter',
    });
    expect(decoded.payload.exp! - decoded.payload.iat!).toBe(3600);
  });

  it('when issuer, audience, lifetime and extra claims are given, then the token carries them', async () => {
    const key = await loadOrCreateSigningKey(await newDataDir());

    const token = signDevToken(key, {
      sub: 'carol-token-test',
      roles: [],
      expiresIn: 120,
      issuer: 'other-issuer',
      audience: 'other-audience',
      extraClaims: { email: 'carol@example.test' },
    });

    const payload = jwt.decode(token) as jwt.JwtPayload;
    expect(payload).toMatchObject({
      iss: 'other-issuer',
      aud: 'other-audience',
      email: 'carol@example.test',
      roles: [],
    });
    expect(payload.exp! - payload.iat!).toBe(120);
  });
});
