import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { Components } from '@sitter/contracts';
import {
  ConcurrencyConflictError,
  type StateEntry,
  type StateStore,
  type TransactionOperation,
  type WriteCondition,
  writeConditionHolds,
} from '@sitter/ports';
import type { Logger } from '@sitter/platform';
import type { SidecarConnection } from './sidecar-connection';
import { SidecarError } from './sidecar-errors';

export interface KeyLockOptions {
  /** The Dapr lock store component (lock.redis). */
  lockStoreName?: string;
  /**
   * How long a lock outlives a writer that died holding it. It must exceed the longest write: every call under the
   * lock is bounded by the resiliency timeouts (5 s), so a write that still holds its lock after this is gone.
   */
  leaseSeconds?: number;
  /** How long a writer waits for a busy key before giving up with a SidecarError (not a conflict). */
  waitMs?: number;
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
    this.leaseSeconds = options.leaseSeconds ?? 30;
    this.waitMs = options.waitMs ?? 10_000;
  }

  /**
   * Runs `work` while holding a lock on every one of `keys`. All of them are asked for at once; when any is busy,
   * the ones granted are given back before waiting and asking again, so no writer waits while holding a lock that
   * another waits for.
   */
  async withLocks<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    const owner = randomUUID();
    const wanted = [...new Set(keys)];
    await this.acquireAll(wanted, owner, Date.now() + this.waitMs);
    try {
      return await work();
    } finally {
      await this.releaseAll(wanted, owner);
    }
  }

  private async acquireAll(keys: readonly string[], owner: string, deadline: number): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const answers = await Promise.allSettled(keys.map((key) => this.tryLock(key, owner)));
      const granted = answers.map((answer) => answer.status === 'fulfilled' && answer.value);
      if (granted.every(Boolean)) return;
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
 * and every replica of that app uses this class. A writer stalled longer than the lease loses that guarantee.
 */
export class LockedStateStore implements StateStore {
  constructor(
    private readonly store: StateStore,
    private readonly locks: KeyLocks,
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
    await this.locks.withLocks(keys, async () => {
      const conditional = operations.filter(hasCondition).map((operation) => operation.key);
      const stored = await this.store.getBulk(conditional);
      const failed = operations.filter((operation) => !writeConditionHolds(operation, stored.get(operation.key)?.etag));
      if (failed.length > 0) throw new ConcurrencyConflictError(failed.map((operation) => operation.key));
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
