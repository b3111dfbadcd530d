import { createHmac, createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { DevSigningKey } from '@sitter/dev-issuer';

/**
 * Tokens an attacker would send, built against the dev issuer the test system trusts. Unless a
 * maker says otherwise, a token is signed with the issuer's real key and carries valid claims,
 * so the one thing named is the only thing wrong with it.
 */
export interface IssuerUnderAttack {
  key: DevSigningKey;
  issuer: string;
  audience: string;
}

const json64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export const nowInSeconds = () => Math.floor(Date.now() / 1000);

export const hostileTokens = ({ key, issuer, audience }: IssuerUnderAttack) => {
  const claims = (sub: string, extra: Record<string, unknown> = {}) => ({
    sub,
    roles: ['PARENT'],
    iss: issuer,
    aud: audience,
    exp: nowInSeconds() + 300,
    ...extra,
  });

  /** Signed by the issuer's key; `header` adds or overrides header parameters. */
  const signed = (payload: Record<string, unknown>, header: Record<string, unknown> = {}) =>
    jwt.sign(payload, key.privateKeyPem, {
      algorithm: 'RS256',
      header: { alg: 'RS256', kid: key.kid, ...header },
    });

  /** Any header and payload, with a signature computed by `sign` over the signing input. */
  const crafted = (
    header: Record<string, unknown>,
    payload: Record<string, unknown>,
    sign: (signingInput: string) => string,
  ) => {
    const signingInput = `${json64(header)}.${json64(payload)}`;
    return `${signingInput}.${sign(signingInput)}`;
  };

  const publicKeyPem = createPublicKey(key.privateKeyPem).export({ format: 'pem', type: 'spki' }).toString();
  const strangerKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const signedByStranger = (payload: Record<string, unknown>, kid: string) =>
    jwt.sign(payload, strangerKey, { algorithm: 'RS256', keyid: kid });

  return {
    claims,
    signed,
    /** alg "none" with an empty signature, naming the issuer's kid. */
    unsigned: (sub: string) => crafted({ alg: 'none', typ: 'JWT', kid: key.kid }, claims(sub), () => ''),
    /** HS256 keyed with the issuer's public key PEM: the classic algorithm confusion. */
    hmacWithPublicKey: (sub: string) =>
      crafted({ alg: 'HS256', typ: 'JWT', kid: key.kid }, claims(sub), (input) =>
        createHmac('sha256', publicKeyPem).update(input).digest('base64url'),
      ),
    /** Signed by a key the issuer never published, under a kid it never used. */
    unknownKid: (sub: string) => signedByStranger(claims(sub), `unknown-${randomUUID()}`),
    /** Signed by another key under the issuer's real kid. */
    forgedKid: (sub: string) => signedByStranger(claims(sub), key.kid),
    /** What the penetration test flooded with: a random kid and a junk signature, no account needed. */
    randomKidJunkSignature: () =>
      crafted({ alg: 'RS256', typ: 'JWT', kid: `flood-${randomUUID()}` }, claims('mallory'), () => json64('junk')),
  };
};
