import { createPublicKey, type KeyObject } from 'node:crypto';
import jwksRsa from 'jwks-rsa';
import { AppError } from '@sitter/ports';
import { MISSING_KEY_SOURCE_MESSAGE, type AuthConfig } from './auth-config';

export interface VerificationKey {
  key: KeyObject | string;
  /** The algorithm the key's publisher pinned it to, when it did. */
  algorithm?: string;
}

/** Finds the public key a token claims to be signed with. Throws UNAUTHENTICATED when there is none. */
export interface KeySource {
  keyFor(kid: string | undefined): Promise<VerificationKey>;
}

const JWKS_TIMEOUT_MS = 5_000;

/**
 * JWKS keys are looked up by the token's kid. A configured JWT_PUBLIC_KEY serves tokens that name
 * no kid, or every token when there is no JWKS_URI.
 */
export const createKeySource = (config: Pick<AuthConfig, 'JWKS_URI' | 'JWT_PUBLIC_KEY'>): KeySource => {
  const staticKey = config.JWT_PUBLIC_KEY ? { key: createPublicKey(config.JWT_PUBLIC_KEY) } : undefined;
  const jwks = config.JWKS_URI ? jwksKeySource(config.JWKS_URI) : undefined;
  if (jwks && staticKey) {
    return { keyFor: (kid) => (kid === undefined ? Promise.resolve(staticKey) : jwks.keyFor(kid)) };
  }
  if (jwks) return jwks;
  if (staticKey) return { keyFor: () => Promise.resolve(staticKey) };
  throw new Error(MISSING_KEY_SOURCE_MESSAGE);
};

const jwksKeySource = (jwksUri: string): KeySource => {
  const client = jwksRsa({
    jwksUri,
    cache: true,
    rateLimit: true,
    jwksRequestsPerMinute: 10,
    timeout: JWKS_TIMEOUT_MS,
  });
  // jsonwebtoken would otherwise parse the PEM on every verification; the JWKS holds few keys.
  const parsedKeys = new Map<string, KeyObject>();
  const parsed = (pem: string): KeyObject => {
    let key = parsedKeys.get(pem);
    if (!key) {
      key = createPublicKey(pem);
      parsedKeys.set(pem, key);
    }
    return key;
  };
  return {
    keyFor: async (kid) => {
      try {
        const signingKey = await client.getSigningKey(kid);
        return { key: parsed(signingKey.getPublicKey()), algorithm: signingKey.alg };
      } catch (error) {
        throw keyLookupError(error, kid);
      }
    },
  };
};

const keyLookupError = (error: unknown, kid: string | undefined): AppError => {
  const name = error instanceof Error ? error.name : '';
  if (name === 'SigningKeyNotFoundError') {
    return new AppError(
      'UNAUTHENTICATED',
      kid === undefined
        ? 'token names no signing key (kid) and the issuer publishes several'
        : 'token is signed with an unknown key (kid)',
    );
  }
  if (name === 'JwksRateLimitError') {
    return new AppError('UNAUTHENTICATED', 'signing keys unavailable: too many key refreshes, try again shortly');
  }
  return new AppError('UNAUTHENTICATED', 'signing keys unavailable');
};
