import { createPublicKey } from 'node:crypto';
import { MISSING_KEY_SOURCE_MESSAGE, type AuthConfig } from './auth-config';
import { JwksKeySource } from './jwks-key-source';
import type { KeySource } from './verification-key';

export type { KeySource, VerificationKey } from './verification-key';

export type KeySourceConfig = Pick<
  AuthConfig,
  'JWKS_URI' | 'JWT_PUBLIC_KEY' | 'JWKS_REFRESH_SECONDS' | 'JWKS_MAX_AGE_SECONDS' | 'JWKS_TIMEOUT_MS'
>;

/**
 * JWKS keys are looked up by the token's kid. A configured JWT_PUBLIC_KEY serves tokens that name
 * no kid, or every token when there is no JWKS_URI.
 */
export const createKeySource = (config: KeySourceConfig, now: () => number = Date.now): KeySource => {
  const staticKey = config.JWT_PUBLIC_KEY ? { key: createPublicKey(config.JWT_PUBLIC_KEY) } : undefined;
  const jwks = config.JWKS_URI
    ? new JwksKeySource({
        jwksUri: config.JWKS_URI,
        refreshIntervalMs: config.JWKS_REFRESH_SECONDS * 1000,
        maxAgeMs: config.JWKS_MAX_AGE_SECONDS * 1000,
        timeoutMs: config.JWKS_TIMEOUT_MS,
        now,
      })
    : undefined;
  if (jwks && staticKey) {
    return { keyFor: (kid) => (kid === undefined ? Promise.resolve(staticKey) : jwks.keyFor(kid)) };
  }
  if (jwks) return jwks;
  if (staticKey) return { keyFor: () => Promise.resolve(staticKey) };
  throw new Error(MISSING_KEY_SOURCE_MESSAGE);
};
