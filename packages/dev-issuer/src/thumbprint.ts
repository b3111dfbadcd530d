import { createHash, type JsonWebKey } from 'node:crypto';

/** The members RFC 7638 hashes for each key type, already in lexicographic order. */
const REQUIRED_MEMBERS: Record<string, readonly string[]> = {
  RSA: ['e', 'kty', 'n'],
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
};

/** RFC 7638 JWK thumbprint (SHA-256, base64url): a key id that anyone holding the public key can recompute. */
export const jwkThumbprint = (jwk: JsonWebKey): string => {
  const kty = String(jwk.kty);
  const members = REQUIRED_MEMBERS[kty];
  if (!members) throw new Error(`cannot compute a thumbprint for key type "${kty}"`);
  const canonical: Record<string, unknown> = {};
  for (const member of members) {
    const value = jwk[member];
    if (typeof value !== 'string') throw new Error(`JWK is missing its "${member}" member`);
    canonical[member] = value;
  }
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url');
};
