import type { KeyObject } from 'node:crypto';

export interface VerificationKey {
  key: KeyObject | string;
  /** The algorithm the key's publisher pinned it to, when it did. */
  algorithm?: string;
}

/** Finds the public key a token claims to be signed with. Throws UNAUTHENTICATED when there is none. */
export interface KeySource {
  keyFor(kid: string | undefined): Promise<VerificationKey>;
}
