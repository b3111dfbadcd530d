import { createHmac, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Server } from 'node:http';
import jwt, { type SignOptions } from 'jsonwebtoken';
import { close, listen } from '@sitter/platform';

export const ISSUER = 'https://issuer.auth-test.example';
export const AUDIENCE = 'sitter-auth-test';
export const RSA_KID = 'rsa-auth-test-key';
export const EC_KID = 'ec-auth-test-key';

export interface SigningPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface JwksFixture {
  rsa: SigningPair;
  ec: SigningPair;
  /** Serves the RSA and EC public keys. */
  jwksUri: string;
  /** Answers 500. */
  brokenJwksUri: string;
  stop(): Promise<void>;
}

/** A real JWKS endpoint on 127.0.0.1 with one RSA and one P-256 key, generated for this run. */
export const startJwksFixture = async (): Promise<JwksFixture> => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwks = {
    keys: [
      { ...rsa.publicKey.export({ format: 'jwk' }), kid: RSA_KID, alg: 'RS256', use: 'sig' },
      { ...ec.publicKey.export({ format: 'jwk' }), kid: EC_KID, use: 'sig' },
    ],
  };
  const { server, port }: { server: Server; port: number } = await listen(
    (req, res) => {
      if (req.url === '/jwks.json') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
        return;
      }
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"keys are on fire"}');
    },
    0,
    '127.0.0.1',
  );
  return {
    rsa,
    ec,
    jwksUri: `http://127.0.0.1:${port}/jwks.json`,
    brokenJwksUri: `http://127.0.0.1:${port}/broken`,
    stop: () => close(server),
  };
};

/** A token for the test issuer and audience, valid for five minutes unless the payload sets `exp`; options override. */
export const signToken = (
  payload: Record<string, unknown>,
  key: KeyObject | string,
  options: SignOptions = {},
): string =>
  jwt.sign(payload, key, {
    algorithm: 'RS256',
    issuer: ISSUER,
    audience: AUDIENCE,
    ...(payload.exp === undefined ? { expiresIn: '5m' as const } : {}),
    ...options,
  });

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An unsigned token (`alg: none`), which jsonwebtoken will not produce for us. */
export const unsignedToken = (payload: Record<string, unknown>, kid?: string): string =>
  `${base64url({ alg: 'none', typ: 'JWT', ...(kid ? { kid } : {}) })}.${base64url(payload)}.`;

/** An HS256 token whose HMAC secret is the given text, such as the issuer's public key PEM. */
export const hmacToken = (payload: Record<string, unknown>, secret: string, kid?: string): string => {
  const signingInput = `${base64url({ alg: 'HS256', typ: 'JWT', ...(kid ? { kid } : {}) })}.${base64url(payload)}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
};

export const nowInSeconds = () => Math.floor(Date.now() / 1000);

export const validClaims = (sub: string, extra: Record<string, unknown> = {}) => ({
  sub,
  iss: ISSUER,
  aud: AUDIENCE,
  exp: nowInSeconds() + 300,
  ...extra,
});
