import jwt, { type SignOptions } from 'jsonwebtoken';
import { DEV_AUDIENCE, DEV_ISSUER } from './constants';
import type { DevSigningKey } from './signing-key';

export interface DevTokenRequest {
  sub: string;
  roles: string[];
  /** Seconds, or a timespan such as "8h" or "30m". Defaults to one hour. */
  expiresIn?: string | number;
  issuer?: string;
  audience?: string;
  extraClaims?: Record<string, unknown>;
}

export const DEFAULT_DEV_TOKEN_LIFETIME = '1h';

/** An RS256 token the gateway accepts through the dev issuer's JWKS, like any real identity provider's. */
export const signDevToken = (key: DevSigningKey, request: DevTokenRequest): string =>
  jwt.sign({ ...request.extraClaims, roles: [...request.roles] }, key.privateKeyPem, {
    algorithm: 'RS256',
    keyid: key.kid,
    subject: request.sub,
    issuer: request.issuer ?? DEV_ISSUER,
    audience: request.audience ?? DEV_AUDIENCE,
    expiresIn: (request.expiresIn ?? DEFAULT_DEV_TOKEN_LIFETIME) as SignOptions['expiresIn'],
  });
