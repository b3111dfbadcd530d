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

/** A key the fixture publishes; `alg` pins it to one algorithm, as an issuer may. */
export interface PublishedKey {
  kid: string;
  publicKey: KeyObject;
  alg?: string;
}

/** How the JWKS endpoint answers: with the published keys, HTTP 500, HTTP 429, or not at all. */
export type JwksAnswer = 'keys' | 'server-error' | 'rate-limited' | 'hang';

export interface JwksFixture {
  rsa: SigningPair;
  ec: SigningPair;
  /** Serves the published keys: the RSA and EC public keys until `publish` says otherwise. */
  jwksUri: string;
  /** Answers 500. */
  brokenJwksUri: string;
  /** How many requests reached `jwksUri`, whatever they were answered. */
  jwksRequestCount(): number;
  /** Publishes exactly these keys from now on (a key rotation, or a withdrawal). */
  publish(keys: PublishedKey[]): void;
  answerWith(answer: JwksAnswer): void;
  stop(): Promise<void>;
}

const asJwk = ({ kid, publicKey, alg }: PublishedKey) => ({
  ...publicKey.export({ format: 'jwk' }),
  kid,
  use: 'sig',
  ...(alg ? { alg } : {}),
});

/** A real JWKS endpoint on 127.0.0.1 with one RSA and one P-256 key, generated for this run. */
export const startJwksFixture = async (): Promise<JwksFixture> => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  let published: PublishedKey[] = [
    { kid: RSA_KID, publicKey: rsa.publicKey, alg: 'RS256' },
    { kid: EC_KID, publicKey: ec.publicKey },
  ];
  let answer: JwksAnswer = 'keys';
  let requests = 0;
  const { server, port }: { server: Server; port: number } = await listen(
    (req, res) => {
      if (req.url !== '/jwks.json') {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"keys are on fire"}');
        return;
      }
      requests += 1;
      if (answer === 'hang') return; // `stop` closes the connection.
      if (answer === 'keys') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: published.map(asJwk) }));
        return;
      }
      const status = answer === 'rate-limited' ? 429 : 500;
      res.writeHead(status, { 'content-type': 'application/json' }).end('{"message":"not now"}');
    },
    0,
    '127.0.0.1',
  );
  return {
    rsa,
    ec,
    jwksUri: `http://127.0.0.1:${port}/jwks.json`,
    brokenJwksUri: `http://127.0.0.1:${port}/broken`,
    jwksRequestCount: () => requests,
    publish: (keys) => {
      published = keys;
    },
    answerWith: (next) => {
      answer = next;
    },
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
