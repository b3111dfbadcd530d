import { randomUUID } from 'node:crypto';
import type { ConnectionSlots } from './connection-slots';

/** LIVE_MAX_CONNECTIONS and LIVE_MAX_CONNECTIONS_PER_USER. */
export interface LiveLimits {
  /** Open subscription connections (WebSockets and SSE streams together) this process accepts. */
  maxConnections: number;
  /** Open connections one user may hold, counted in the slots (across replicas when they are in Redis). */
  maxConnectionsPerUser: number;
}

/** The configuration's defaults (LIVE_MAX_CONNECTIONS, LIVE_MAX_CONNECTIONS_PER_USER). */
export const DEFAULT_LIVE_LIMITS: LiveLimits = { maxConnections: 10_000, maxConnectionsPerUser: 20 };

/** A user's slot, held (and refreshed) until released. */
export interface HeldSlot {
  /** Gives the slot back; once is enough, more is harmless. */
  release(): void;
}

/**
 * What a live connection counts against, shared by the WebSocket server and the SSE subscriptions of one gateway
 * process: the process's open connections (LIVE_MAX_CONNECTIONS, a count in this process, as the limit is per
 * process) and the user's slots (LIVE_MAX_CONNECTIONS_PER_USER, in `slots`). A WebSocket counts once however many
 * subscriptions it carries; an SSE subscription is its own HTTP response, so it counts once on its own.
 */
export class LiveAdmission {
  private open = 0;

  constructor(
    readonly slots: ConnectionSlots,
    readonly limits: LiveLimits,
  ) {}

  /** Open connections of this process. */
  get connectionCount(): number {
    return this.open;
  }

  /**
   * Counts one more open connection; false when that is more than maxConnections. Either way it stays counted
   * until `leave`, so a refused connection is counted until it is closed.
   */
  enter(): boolean {
    this.open += 1;
    return this.open <= this.limits.maxConnections;
  }

  leave(): void {
    this.open -= 1;
  }

  /**
   * Takes a slot of `username`'s, refreshed every third of the slots' TTL until released; undefined when the user
   * already holds maxConnectionsPerUser. Throws ConnectionSlotsUnavailableError when the slots cannot be counted.
   * `onLost` is called when a refresh finds the slot lapsed (the slots unreachable for longer than its TTL) and the
   * user at the limit meanwhile: the connection must end. While the slots are unreachable the slot is kept.
   */
  async hold(username: string, onLost: () => void): Promise<HeldSlot | undefined> {
    const slotId = randomUUID();
    const max = this.limits.maxConnectionsPerUser;
    if (!(await this.slots.acquire(username, slotId, max))) return undefined;
    let released = false;
    const refresh = setInterval(() => {
      this.slots
        .refresh(username, slotId)
        .then(async (held) => held || this.slots.acquire(username, slotId, max))
        .then(
          (held) => {
            if (!held && !released) onLost();
          },
          () => undefined,
        );
    }, this.slots.ttlMs / 3);
    refresh.unref();
    return {
      release: () => {
        if (released) return;
        released = true;
        clearInterval(refresh);
        // Unreleased (Redis unreachable), the slot lapses after its TTL.
        this.slots.release(username, slotId).catch(() => undefined);
      },
    };
  }
}
