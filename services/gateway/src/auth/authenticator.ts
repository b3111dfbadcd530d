import jwt, { type Jwt, type JwtPayload } from 'jsonwebtoken';
import { AppError, type Actor } from '@sitter/ports';
import type { AuthConfig } from './auth-config';
import { createKeySource, type KeySource, type VerificationKey } from './key-source';
import { mapRoles } from './roles';
import { checkTokenHeader, checkTokenSize, tokenExpiry, unauthenticated } from './token-checks';
import { VerifiedTokenCache } from './verified-token-cache';

export interface Authenticator {
  /** The caller named by a `Bearer <jwt>` header; undefined when there is no header. Throws UNAUTHENTICATED otherwise. */
  authenticate(authorizationHeader: string | undefined): Promise<Actor | undefined>;
}

export interface AuthenticatorOptions {
  /** Defaults to a cache on the same clock. */
  cache?: VerifiedTokenCache;
  /** Milliseconds since the epoch; one clock for token times, the token cache and the JWKS cache. */
  now?: () => number;
}

/**
 * Checks run cheapest first: size, then what the header and claims say, then the key lookup, and
 * the signature last, so junk never costs a JWKS fetch or a signature check.
 */
export const createAuthenticator = (config: AuthConfig, options: AuthenticatorOptions = {}): Authenticator => {
  const now = options.now ?? Date.now;
  const cache = options.cache ?? new VerifiedTokenCache(now);
  const keys: KeySource = createKeySource(config, now);
  const algorithms = config.JWT_ALGORITHMS;

  return {
    authenticate: async (authorizationHeader) => {
      if (authorizationHeader === undefined) return undefined;
      const token = bearerToken(authorizationHeader);
      checkTokenSize(token, config.JWT_MAX_TOKEN_BYTES);
      const known = cache.get(token);
      if (known) return known;
      const decoded = decode(token);
      checkTokenHeader(decoded.header, algorithms);
      const expiresAtSeconds = tokenExpiry(decoded.payload);
      const algorithm = decoded.header.alg;
      const { key, algorithm: pinned } = await keys.keyFor(decoded.header.kid);
      if (pinned && pinned !== algorithm) throw unauthenticated('token algorithm does not match its signing key');

      const payload = verify(token, key, {
        algorithms,
        issuer: config.JWT_ISSUER,
        audience: config.JWT_AUDIENCE,
        clockTimestamp: Math.floor(now() / 1000),
      });
      const username = payload[config.JWT_USERNAME_CLAIM];
      if (typeof username !== 'string' || username.trim() === '') {
        throw unauthenticated(`token has no "${config.JWT_USERNAME_CLAIM}" claim naming the user`);
      }
      const actor = { username, roles: mapRoles(payload[config.JWT_ROLES_CLAIM], config.ROLE_MAP) };
      cache.remember(token, actor, expiresAtSeconds);
      return actor;
    },
  };
};

const bearerToken = (header: string): string => {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header.trim());
  if (!match) throw unauthenticated('authorization header must be "Bearer <token>"');
  return match[1];
};

const decode = (token: string): Jwt & { payload: JwtPayload } => {
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded || typeof decoded.payload === 'string' || typeof decoded.header?.alg !== 'string') {
    throw unauthenticated('token is malformed');
  }
  return decoded as Jwt & { payload: JwtPayload };
};

const verify = (token: string, key: VerificationKey['key'], options: jwt.VerifyOptions): JwtPayload => {
  try {
    const payload = jwt.verify(token, key, { ...options, complete: false });
    if (typeof payload === 'string') throw unauthenticated('token payload is not a JSON object');
    return payload;
  } catch (error) {
    throw error instanceof AppError ? error : verificationError(error);
  }
};

/** jsonwebtoken's reasons, reworded for the caller; its messages never contain the token itself. */
const verificationError = (error: unknown): AppError => {
  if (error instanceof jwt.TokenExpiredError) return unauthenticated('token expired');
  if (error instanceof jwt.NotBeforeError) return unauthenticated('token is not valid yet');
  const message = error instanceof Error ? error.message : '';
  if (message.startsWith('jwt audience invalid')) return unauthenticated('token audience is not accepted');
  if (message.startsWith('jwt issuer invalid')) return unauthenticated('token issuer is not accepted');
  if (message === 'invalid signature') return unauthenticated('token signature is invalid');
  if (message === 'invalid algorithm') return unauthenticated('token algorithm is not accepted');
  if (message.includes('key type') || message.includes('must be an asymmetric key')) {
    return unauthenticated('token algorithm does not match its signing key');
  }
  if (message.startsWith('jwt malformed') || message.startsWith('invalid token')) {
    return unauthenticated('token is malformed');
  }
  return unauthenticated('token is invalid');
};
