import {
  requireWriteConditions,
  type StateEntry,
  type StateStore,
  type TransactionOperation,
  type WriteCondition,
} from '@sitter/ports';

export interface StoredEntry {
  readonly value: unknown;
  readonly version: number;
}

/** One change as it was committed: upserts carry the version (ETag) they were given. */
export type CommittedOperation =
  { kind: 'upsert'; key: string; value: unknown; version: number } | { kind: 'delete'; key: string };

/** Receives every committed change, in commit order; used to persist the store. */
export interface ChangeSink {
  /**
   * Called synchronously inside the commit. Throwing refuses the change (nothing is applied);
   * the returned promise is what the write's caller waits for (e.g. the journal append).
   */
  append(operations: readonly CommittedOperation[]): Promise<void> | void;
}

export interface StateSnapshot {
  /** The highest version ever handed out, which may belong to an entry deleted since. */
  lastVersion: number;
  entries: Array<[string, StoredEntry]>;
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

  /** Loads an entry (e.g. from a snapshot) without recording it as a change. */
  restore(key: string, value: unknown, version: number): void {
    this.replay([{ kind: 'upsert', key, value, version }]);
  }

  /** Makes sure versions handed out from now on are above `version`. */
  restoreLastVersion(version: number): void {
    this.lastVersion = Math.max(this.lastVersion, version);
  }

  /** Replays a recorded change without recording it again. */
  replay(operations: readonly CommittedOperation[]): void {
    for (const operation of operations) {
      if (operation.kind === 'delete') {
        this.entries.delete(operation.key);
      } else {
        this.entries.set(operation.key, { value: operation.value, version: operation.version });
        this.restoreLastVersion(operation.version);
      }
    }
  }

  attachSink(sink: ChangeSink): void {
    this.sink = sink;
  }

  /** A copy of the entry list; entries themselves are never changed in place, so it stays valid. */
  snapshot(): StateSnapshot {
    return { lastVersion: this.lastVersion, entries: [...this.entries.entries()] };
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
    await this.commit([{ operation: 'upsert', key, value, ...condition }]);
  }

  async delete(key: string, condition: { etag?: string } = {}): Promise<void> {
    await this.commit([{ operation: 'delete', key, ...condition }]);
  }

  async transact(operations: readonly TransactionOperation[]): Promise<void> {
    await this.commit(operations);
  }

  private read<T>(key: string): StateEntry<T> | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    return { key, value: JSON.parse(JSON.stringify(entry.value)) as T, etag: String(entry.version) };
  }

  /** Checks, records and applies in one synchronous step; resolves when the sink has the change. */
  private commit(operations: readonly TransactionOperation[]): Promise<void> | void {
    requireWriteConditions(operations, (key) => {
      const current = this.entries.get(key);
      return current ? String(current.version) : undefined;
    });
    let version = this.lastVersion;
    const committed = operations.map((operation): CommittedOperation => {
      if (operation.operation === 'delete') return { kind: 'delete', key: operation.key };
      version += 1;
      return { kind: 'upsert', key: operation.key, value: toStorable(operation.value), version };
    });
    const persisted = this.sink?.append(committed);
    this.replay(committed);
    return persisted;
  }
}

const toStorable = (value: unknown): unknown => {
  if (value === undefined) throw new TypeError('state values must be JSON-serialisable, got undefined');
  return JSON.parse(JSON.stringify(value));
};
