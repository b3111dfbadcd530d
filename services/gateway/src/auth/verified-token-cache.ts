import type { Actor } from '@sitter/ports';

interface Entry {
  actor: Actor;
  expiresAtMs: number;
}

/**
 * Remembers tokens that passed verification, so a client reusing its token skips the RSA/EC
 * signature check (the largest cost of a gateway request). An entry lives until the token
 * expires, and never longer than `maxAgeMs`, so a key withdrawn from the JWKS stops working
 * within that time. The oldest entries are dropped beyond `maxEntries`.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxAgeMs = 60_000,
    private readonly maxEntries = 10_000,
  ) {}

  get(token: string): Actor | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.expiresAtMs > this.now()) return entry.actor;
    this.entries.delete(token);
    return undefined;
  }

  /** `expiresAtSeconds` is the token's `exp` claim (the authenticator refuses tokens without one). */
  remember(token: string, actor: Actor, expiresAtSeconds: number): void {
    const expiresAtMs = Math.min(expiresAtSeconds * 1000, this.now() + this.maxAgeMs);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(token, { actor, expiresAtMs });
  }
}
