/**
 * Where LIVE_MAX_CONNECTIONS_PER_USER is counted: a slot per open subscription connection, held by its connection id
 * for `ttlMs` and refreshed while the connection is open, so the slots of a gateway that died without closing its
 * connections lapse by themselves. In Redis (every replica counts against one limit) when the gateway has the
 * rate limits' Redis, else in the process.
 */
export interface ConnectionSlots {
  /**
   * Takes a slot for `connectionId` of `username` if the user holds fewer than `max` unexpired ones; false if not.
   * Throws ConnectionSlotsUnavailableError when the count cannot be read (the connection is refused: fail closed).
   */
  acquire(username: string, connectionId: string, max: number): Promise<boolean>;
  /** Extends the slot by the slots' TTL; false if it had lapsed meanwhile (taken by nobody, but no longer held). */
  refresh(username: string, connectionId: string): Promise<boolean>;
  release(username: string, connectionId: string): Promise<void>;
  /** How long a slot lasts without a refresh; the connection refreshes it every third of this. */
  readonly ttlMs: number;
}

export class ConnectionSlotsUnavailableError extends Error {
  constructor(options?: ErrorOptions) {
    super('the connection limits cannot be checked right now; try again shortly', options);
    this.name = 'ConnectionSlotsUnavailableError';
  }
}

export const CONNECTION_SLOT_TTL_MS = 30_000;
