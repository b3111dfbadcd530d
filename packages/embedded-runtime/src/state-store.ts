import {
  ConcurrencyConflictError,
  type StateEntry,
  type StateStore,
  type TransactionOperation,
  type WriteCondition,
} from '@sitter/ports';

interface StoredEntry {
  value: unknown;
  version: number;
}

/** Receives every committed change, in commit order; used to persist the store. */
export interface ChangeSink {
  append(operations: readonly TransactionOperation[]): void;
}

/**
 * The embedded state store: a map in memory with Dapr's ETag semantics. Values are copied
 * through JSON on the way in and out, as they would be over the wire, so callers can never
 * mutate stored state by accident. Every check and write of one call happens in one
 * synchronous step, which is what makes transactions all-or-nothing here.
 */
export class EmbeddedStateStore implements StateStore {
  private readonly entries = new Map<string, StoredEntry>();
  /** Store-wide, so an ETag from a deleted entry never matches a re-created one. */
  private lastVersion = 0;
  private sink?: ChangeSink;

  /** Loads entries (e.g. from a snapshot) without recording them as changes. */
  restore(key: string, value: unknown, version: number): void {
    this.entries.set(key, { value, version });
    this.lastVersion = Math.max(this.lastVersion, version);
  }

  /** Replays a recorded change without recording it again. */
  replay(operations: readonly TransactionOperation[]): void {
    this.apply(operations);
  }

  attachSink(sink: ChangeSink): void {
    this.sink = sink;
  }

  snapshot(): Array<[string, StoredEntry]> {
    return [...this.entries.entries()];
  }

  get size(): number {
    return this.entries.size;
  }

  async get<T>(key: string): Promise<StateEntry<T> | undefined> {
    return this.read<T>(key);
  }

  async getBulk<T>(keys: readonly string[]): Promise<Map<string, StateEntry<T>>> {
    const found = new Map<string, StateEntry<T>>();
    for (const key of keys) {
      const entry = this.read<T>(key);
      if (entry) found.set(key, entry);
    }
    return found;
  }

  async save<T>(key: string, value: T, condition: WriteCondition = {}): Promise<void> {
    this.commit([{ operation: 'upsert', key, value, ...condition }]);
  }

  async delete(key: string, condition: { etag?: string } = {}): Promise<void> {
    this.commit([{ operation: 'delete', key, ...condition }]);
  }

  async transact(operations: readonly TransactionOperation[]): Promise<void> {
    this.commit(operations);
  }

  private read<T>(key: string): StateEntry<T> | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    return { key, value: JSON.parse(JSON.stringify(entry.value)) as T, etag: String(entry.version) };
  }

  private commit(operations: readonly TransactionOperation[]): void {
    const failed = operations.filter((operation) => !this.conditionHolds(operation)).map((operation) => operation.key);
    if (failed.length > 0) throw new ConcurrencyConflictError(failed);
    const copies = operations.map((operation) =>
      operation.operation === 'upsert'
        ? { operation: 'upsert' as const, key: operation.key, value: toStorable(operation.value) }
        : { operation: 'delete' as const, key: operation.key },
    );
    this.apply(copies);
    this.sink?.append(copies);
  }

  private conditionHolds(operation: TransactionOperation): boolean {
    const current = this.entries.get(operation.key);
    if (operation.operation === 'upsert' && operation.onlyIfAbsent) return current === undefined;
    if (operation.etag === undefined) return true;
    // Deleting an entry that is already gone is not a conflict (Dapr behaves the same).
    if (!current) return operation.operation === 'delete';
    return String(current.version) === operation.etag;
  }

  private apply(operations: readonly TransactionOperation[]): void {
    for (const operation of operations) {
      if (operation.operation === 'delete') {
        this.entries.delete(operation.key);
      } else {
        this.lastVersion += 1;
        this.entries.set(operation.key, { value: operation.value, version: this.lastVersion });
      }
    }
  }
}

const toStorable = (value: unknown): unknown => {
  if (value === undefined) throw new TypeError('state values must be JSON-serialisable, got undefined');
  return JSON.parse(JSON.stringify(value));
};
