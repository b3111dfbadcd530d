/**
 * Key/value state with optimistic concurrency, modelled on Dapr's state API.
 *
 * Every entry carries an opaque ETag that changes on each write. A write that names an
 * ETag succeeds only while the stored ETag still matches (first-write-wins); a write
 * with `onlyIfAbsent` succeeds only when the key does not exist yet.
 */
export interface StateEntry<T> {
  key: string;
  value: T;
  etag: string;
}

export interface WriteCondition {
  /** The write succeeds only if the stored entry still has this ETag. */
  etag?: string;
  /** The write succeeds only if no entry exists under the key. */
  onlyIfAbsent?: boolean;
}

export type TransactionOperation =
  | ({ operation: 'upsert'; key: string; value: unknown } & WriteCondition)
  | { operation: 'delete'; key: string; etag?: string };

export interface StateStore {
  get<T>(key: string): Promise<StateEntry<T> | undefined>;
  /** Entries for the keys that exist; missing keys are absent from the map. */
  getBulk<T>(keys: readonly string[]): Promise<Map<string, StateEntry<T>>>;
  save<T>(key: string, value: T, condition?: WriteCondition): Promise<void>;
  /** Deleting a missing key succeeds; a stale ETag on an existing key fails. */
  delete(key: string, condition?: { etag?: string }): Promise<void>;
  /** All operations apply, or none does (ETag/absence conditions are checked first). */
  transact(operations: readonly TransactionOperation[]): Promise<void>;
}

/** A write condition did not hold: the entry changed, or exists, since it was read. */
export class ConcurrencyConflictError extends Error {
  constructor(readonly keys: readonly string[]) {
    super(`state changed concurrently for key(s): ${keys.join(', ')}`);
    this.name = 'ConcurrencyConflictError';
  }
}

/**
 * Whether an operation's write condition holds against what is stored under its key (`storedEtag` undefined: no
 * entry). Deleting an entry that is already gone is not a conflict, as in Dapr.
 */
export const writeConditionHolds = (operation: TransactionOperation, storedEtag: string | undefined): boolean => {
  if (operation.operation === 'upsert' && operation.onlyIfAbsent) return storedEtag === undefined;
  if (operation.etag === undefined) return true;
  if (storedEtag === undefined) return operation.operation === 'delete';
  return storedEtag === operation.etag;
};

/** Throws a ConcurrencyConflictError naming every operation whose write condition does not hold against the store. */
export const requireWriteConditions = (
  operations: readonly TransactionOperation[],
  storedEtagOf: (key: string) => string | undefined,
): void => {
  const failed = operations.filter((operation) => !writeConditionHolds(operation, storedEtagOf(operation.key)));
  if (failed.length > 0) throw new ConcurrencyConflictError(failed.map((operation) => operation.key));
};
