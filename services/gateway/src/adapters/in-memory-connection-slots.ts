import { systemClock, type Clock } from '@sitter/ports';
import { CONNECTION_SLOT_TTL_MS, type ConnectionSlots } from '../live/connection-slots';

/** Connection slots in this process's memory: right for one gateway process (`npm start`). */
export class InMemoryConnectionSlots implements ConnectionSlots {
  /** username → connection id → expiry (ms). */
  private readonly slots = new Map<string, Map<string, number>>();

  constructor(
    private readonly clock: Clock = systemClock,
    readonly ttlMs = CONNECTION_SLOT_TTL_MS,
  ) {}

  acquire(username: string, connectionId: string, max: number): Promise<boolean> {
    const held = this.live(username);
    if (!held.has(connectionId) && held.size >= max) return Promise.resolve(false);
    held.set(connectionId, this.clock.now().getTime() + this.ttlMs);
    this.slots.set(username, held);
    return Promise.resolve(true);
  }

  refresh(username: string, connectionId: string): Promise<boolean> {
    const held = this.live(username);
    if (!held.has(connectionId)) return Promise.resolve(false);
    held.set(connectionId, this.clock.now().getTime() + this.ttlMs);
    return Promise.resolve(true);
  }

  release(username: string, connectionId: string): Promise<void> {
    const held = this.live(username);
    held.delete(connectionId);
    if (held.size === 0) this.slots.delete(username);
    return Promise.resolve();
  }

  /** The user's unexpired slots (expired ones dropped). */
  private live(username: string): Map<string, number> {
    const held = this.slots.get(username) ?? new Map<string, number>();
    const now = this.clock.now().getTime();
    for (const [id, expiresAt] of held) if (expiresAt <= now) held.delete(id);
    return held;
  }
}
