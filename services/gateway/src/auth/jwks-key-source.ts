import { createPublicKey } from 'node:crypto';
import { JwksClient } from 'jwks-rsa';
import { unauthenticated } from './token-checks';
import type { KeySource, VerificationKey } from './verification-key';

export interface JwksKeySourceOptions {
  jwksUri: string;
  /** At most one fetch starts per interval, whoever asks and whatever for. */
  refreshIntervalMs: number;
  /** Keys older than this are fetched again before use; a key the issuer withdrew then stops working. */
  maxAgeMs: number;
  /** One fetch, body included, is abandoned after this. */
  timeoutMs: number;
  now?: () => number;
}

interface KeySet {
  byKid: ReadonlyMap<string, VerificationKey>;
  all: readonly VerificationKey[];
  fetchedAtMs: number;
}

/**
 * The issuer's JWKS, fetched at most once per refresh interval by a single shared request, so no
 * stream of tokens (with unknown kids, say) can make the gateway hammer the issuer or use up a
 * budget that real tokens need. Known keys are served from memory until the cache age passes;
 * when a refresh fails (issuer down, slow, rate limiting) the last keys it published keep serving.
 * Kept per process: each replica fetches on its own schedule, which needs no coordination.
 */
export class JwksKeySource implements KeySource {
  private readonly client: JwksClient;
  private readonly now: () => number;
  private keys: KeySet | undefined;
  private lastAttemptMs = Number.NEGATIVE_INFINITY;
  private refreshing: Promise<void> | undefined;

  constructor(private readonly options: JwksKeySourceOptions) {
    this.now = options.now ?? Date.now;
    this.client = new JwksClient({
      jwksUri: options.jwksUri,
      cache: false,
      rateLimit: false,
      fetcher: (uri) => fetchJwks(uri, options.timeoutMs),
    });
  }

  async keyFor(kid: string | undefined): Promise<VerificationKey> {
    const cached = this.keys;
    if (cached && this.isFresh(cached)) {
      const key = find(cached, kid);
      if (key) return key;
    }
    await this.refreshIfAllowed();
    const latest = this.keys;
    if (!latest) throw unauthenticated('signing keys unavailable');
    const key = find(latest, kid);
    if (key) return key;
    throw unauthenticated(
      kid === undefined
        ? 'token names no signing key (kid) and the issuer publishes several'
        : 'token is signed with an unknown key (kid)',
    );
  }

  private isFresh(keys: KeySet): boolean {
    return this.now() - keys.fetchedAtMs < this.options.maxAgeMs;
  }

  /** Joins the refresh under way, starts one when the interval has passed, or else leaves the keys as they are. */
  private refreshIfAllowed(): Promise<void> {
    if (this.refreshing) return this.refreshing;
    const startedAtMs = this.now();
    if (startedAtMs - this.lastAttemptMs < this.options.refreshIntervalMs) return Promise.resolve();
    this.lastAttemptMs = startedAtMs;
    this.refreshing = this.fetchKeySet(startedAtMs)
      .then(
        (keys) => {
          this.keys = keys;
        },
        // The last good keys stay; the next attempt waits for the next interval.
        () => undefined,
      )
      .finally(() => {
        this.refreshing = undefined;
      });
    return this.refreshing;
  }

  private async fetchKeySet(fetchedAtMs: number): Promise<KeySet> {
    const signingKeys = await this.client.getSigningKeys();
    const all: VerificationKey[] = [];
    const byKid = new Map<string, VerificationKey>();
    for (const signingKey of signingKeys) {
      // Parsed once per fetch rather than by jsonwebtoken on every verification.
      const key: VerificationKey = { key: createPublicKey(signingKey.getPublicKey()), algorithm: signingKey.alg };
      all.push(key);
      if (signingKey.kid) byKid.set(signingKey.kid, key);
    }
    return { byKid, all, fetchedAtMs };
  }
}

/** A token without a kid may use the only key there is. */
const find = (keys: KeySet, kid: string | undefined): VerificationKey | undefined =>
  kid === undefined ? (keys.all.length === 1 ? keys.all[0] : undefined) : keys.byKid.get(kid);

/** Unlike jwks-rsa's own request (an idle-socket timeout only), this bounds the whole fetch. */
const fetchJwks = async (uri: string, timeoutMs: number): Promise<{ keys: unknown }> => {
  const response = await fetch(uri, {
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) throw new Error(`JWKS endpoint answered HTTP ${response.status}`);
  return (await response.json()) as { keys: unknown };
};
