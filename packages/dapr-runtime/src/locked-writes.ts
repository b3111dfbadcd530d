import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { Components } from '@sitter/contracts';
import {
  requireWriteConditions,
  type StateEntry,
  type StateStore,
  type TransactionOperation,
  type WriteCondition,
} from '@sitter/ports';
import type { Logger } from '@sitter/platform';
import type { SidecarConnection } from './sidecar-connection';
import { SidecarError } from './sidecar-errors';

export interface KeyLockOptions {
  /** The Dapr lock store component (lock.redis). */
  lockStoreName?: string;
  /**
   * How long a lock outlives a writer that died holding it (15 s): the keys a killed app was writing are locked that
   * long. LockedStateStore writes only while the lease has its write margin left, so a short lease costs a slow
   * writer a retry, never a write outside its locks.
   */
  leaseSeconds?: number;
  /** How long a writer waits for a busy key before giving up with a SidecarError (not a conflict). */
  waitMs?: number;
}

/** What the work under `withLocks` may know of its locks. */
export interface HeldLocks {
  /** Until when (epoch ms) every lock is still this writer's: the lease counted from before they were asked for. */
  readonly heldUntil: number;
}

/** Per-key locks through Dapr's distributed lock API (`/v1.0-alpha1/lock`). */
export class KeyLocks {
  private readonly lockStoreName: string;
  private readonly leaseSeconds: number;
  private readonly waitMs: number;

  constructor(
    private readonly sidecar: SidecarConnection,
    private readonly logger: Logger,
    options: KeyLockOptions = {},
  ) {
    this.lockStoreName = options.lockStoreName ?? Components.lockStore;
    this.leaseSeconds = options.leaseSeconds ?? 15;
    this.waitMs = options.waitMs ?? 10_000;
  }

  /**
   * Runs `work` while holding a lock on every one of `keys`. All of them are asked for at once; when any is busy,
   * the ones granted are given back before waiting and asking again, so no writer waits while holding a lock that
   * another waits for.
   */
  async withLocks<T>(keys: readonly string[], work: (held: HeldLocks) => Promise<T>): Promise<T> {
    const owner = randomUUID();
    const wanted = [...new Set(keys)];
    const askedAt = await this.acquireAll(wanted, owner, Date.now() + this.waitMs);
    try {
      return await work({ heldUntil: askedAt + this.leaseSeconds * 1000 });
    } finally {
      await this.releaseAll(wanted, owner);
    }
  }

  /** Resolves, once every lock is granted, with when the successful round of asking began (no lease began earlier). */
  private async acquireAll(keys: readonly string[], owner: string, deadline: number): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      const askedAt = Date.now();
      const answers = await Promise.allSettled(keys.map((key) => this.tryLock(key, owner)));
      const granted = answers.map((answer) => answer.status === 'fulfilled' && answer.value);
      if (granted.every(Boolean)) return askedAt;
      await this.releaseAll(
        keys.filter((_, index) => granted[index]),
        owner,
      );
      // A sidecar that failed to answer is not a busy key: give back what was granted, then fail with its error.
      const failed = answers.find((answer): answer is PromiseRejectedResult => answer.status === 'rejected');
      if (failed) throw failed.reason;
      if (Date.now() >= deadline) {
        const busy = keys.filter((_, index) => !granted[index]);
        throw new SidecarError(`lock ${busy.join(', ')}`, { message: `the key stayed locked for ${this.waitMs} ms` });
      }
      // 2, 4, 8 ... 64 ms, jittered: racing writers spread out instead of retrying in step.
      await delay(Math.min(64, 2 ** (attempt + 1)) * (0.5 + Math.random()));
    }
  }

  private async tryLock(key: string, owner: string): Promise<boolean> {
    const answer = await this.sidecar.postJson<{ success?: boolean }>(
      `lock ${key}`,
      `/v1.0-alpha1/lock/${this.lockStoreName}`,
      { resourceId: key, lockOwner: owner, expiryInSeconds: this.leaseSeconds },
    );
    return answer?.success === true;
  }

  private releaseAll(keys: readonly string[], owner: string): Promise<unknown> {
    return Promise.all(keys.map((key) => this.release(key, owner)));
  }

  private async release(key: string, owner: string): Promise<void> {
    try {
      await this.sidecar.postJson(`unlock ${key}`, `/v1.0-alpha1/unlock/${this.lockStoreName}`, {
        resourceId: key,
        lockOwner: owner,
      });
    } catch (error) {
      // The lock expires with its lease: waiting writers are slowed, not wronged.
      this.logger.warn('could not release a state key lock; it expires with its lease', {
        key,
        leaseSeconds: this.leaseSeconds,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

/**
 * The StateStore port on a Dapr state store whose transactions are not all-or-nothing: state.redis runs each
 * operation of a transaction as its own script inside MULTI/EXEC, and Redis applies the others when one condition
 * fails. Here every write (save, delete, transaction) locks its keys, reads the ETags of those with a condition,
 * checks every condition itself, and only then writes them all, unconditionally, in one transaction (EXEC applies
 * it at once).
 *
 * This holds while every writer of the store's keys goes through these locks: the store is scoped to one app id,
 * and every replica of that app uses this class. A writer whose locks are within `writeMarginMs` of their lease's
 * end when it is about to write (stalled while asking for them or reading) writes nothing and fails with a
 * SidecarError: its locks may expire while the write is on its way, and another writer's go through meanwhile.
 */
export class LockedStateStore implements StateStore {
  constructor(
    private readonly store: StateStore,
    private readonly locks: KeyLocks,
    /** The longest a write may take to reach the store: daprd's state timeout (resiliency.yaml, 5 s). */
    private readonly writeMarginMs = 5_000,
  ) {}

  get<T>(key: string): Promise<StateEntry<T> | undefined> {
    return this.store.get<T>(key);
  }

  getBulk<T>(keys: readonly string[]): Promise<Map<string, StateEntry<T>>> {
    return this.store.getBulk<T>(keys);
  }

  save<T>(key: string, value: T, condition: WriteCondition = {}): Promise<void> {
    return this.transact([{ operation: 'upsert', key, value, ...condition }]);
  }

  delete(key: string, condition: { etag?: string } = {}): Promise<void> {
    return this.transact([{ operation: 'delete', key, ...condition }]);
  }

  async transact(operations: readonly TransactionOperation[]): Promise<void> {
    if (operations.length === 0) return;
    const keys = operations.map((operation) => operation.key);
    await this.locks.withLocks(keys, async ({ heldUntil }) => {
      const conditional = operations.filter(hasCondition).map((operation) => operation.key);
      const stored = await this.store.getBulk(conditional);
      requireWriteConditions(operations, (key) => stored.get(key)?.etag);
      if (Date.now() + this.writeMarginMs > heldUntil) {
        throw new SidecarError(`state transaction on ${keys.join(', ')}`, {
          message: `the key locks are too close to the end of their lease to write before it (nothing written)`,
        });
      }
      await this.store.transact(operations.map(withoutCondition));
    });
  }
}

const hasCondition = (operation: TransactionOperation): boolean =>
  operation.etag !== undefined || (operation.operation === 'upsert' && operation.onlyIfAbsent === true);

const withoutCondition = (operation: TransactionOperation): TransactionOperation =>
  operation.operation === 'upsert'
    ? { operation: 'upsert', key: operation.key, value: operation.value }
    : { operation: 'delete', key: operation.key };
