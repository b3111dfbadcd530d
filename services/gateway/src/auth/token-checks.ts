import type { JwtHeader, JwtPayload } from 'jsonwebtoken';
import { AppError } from '@sitter/ports';

export const unauthenticated = (reason: string) => new AppError('UNAUTHENTICATED', reason);

/**
 * Header parameters through which a token would bring its own key or a place to fetch one
 * (RFC 7515 §4.1.2-4.1.6). Keys come only from the configured issuer, so a token that carries
 * them is refused rather than having them ignored.
 */
const TOKEN_SUPPLIED_KEY_PARAMETERS = ['jku', 'jwk', 'x5u', 'x5c'] as const;

/** Base64url text is ASCII, so its length is its size in bytes. */
export const checkTokenSize = (token: string, maxBytes: number): void => {
  if (token.length > maxBytes) throw unauthenticated(`token is larger than ${maxBytes} bytes`);
};

/** What can be refused from the header alone, before any key is looked up. */
export const checkTokenHeader = (header: JwtHeader, algorithms: readonly string[]): void => {
  if (!algorithms.includes(header.alg)) {
    throw unauthenticated(`token algorithm is not accepted (accepted: ${algorithms.join(', ')})`);
  }
  if (header.kid !== undefined && typeof header.kid !== 'string') throw unauthenticated('token is malformed');
  // RFC 7515 §4.1.11: a recipient must refuse extensions it does not understand; we implement none.
  if (header.crit !== undefined)
    throw unauthenticated('token header names critical extensions (crit), none are supported');
  // `jwk` is not in JwtHeader's type: the header is any JSON object the sender chose.
  const parameters: Readonly<Record<string, unknown>> = { ...header };
  const carried = TOKEN_SUPPLIED_KEY_PARAMETERS.filter((name) => parameters[name] !== undefined);
  if (carried.length > 0) {
    throw unauthenticated(`token header carries its own key (${carried.join(', ')}); keys come only from the issuer`);
  }
};

/** The token's `exp` in seconds. jsonwebtoken checks exp only when present; a token without one would never expire. */
export const tokenExpiry = (payload: JwtPayload): number => {
  if (typeof payload.exp !== 'number' || !Number.isFinite(payload.exp)) {
    throw unauthenticated('token has no expiry (exp)');
  }
  return payload.exp;
};
