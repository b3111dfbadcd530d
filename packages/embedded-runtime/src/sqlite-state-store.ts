import { DatabaseSync, type StatementSync } from 'node:sqlite';
import {
  ConcurrencyConflictError,
  type StateEntry,
  type StateStore,
  type TransactionOperation,
  type WriteCondition,
  writeConditionHolds,
} from '@sitter/ports';

export interface SqliteStateStoreOptions {
  /** fsync every commit (synchronous=FULL), for power-loss durability; a process crash loses nothing without it. */
  fsync?: boolean;
}

interface Row {
  value: string;
  version: number;
}

/**
 * PROTOTYPE, not wired into EmbeddedRuntime: the embedded state store on one SQLite file (node:sqlite), so that
 * only the pages a read touches are in memory and opening does not replay anything. Same semantics as
 * EmbeddedStateStore: store-wide versions as ETags (an ETag of a deleted entry never matches a re-created one),
 * values copied through JSON. node:sqlite is synchronous, so the checks and the writes of one call run in one
 * step, inside one SQLite transaction: all-or-nothing in the process and on disk (WAL journal).
 * See docs/performance.md, "Growth".
 */
export class SqliteStateStore implements StateStore {
  private readonly select: StatementSync;
  private readonly upsert: StatementSync;
  private readonly remove: StatementSync;
  private readonly saveLastVersion: StatementSync;
  private lastVersion: number;

  private constructor(private readonly db: DatabaseSync) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value TEXT NOT NULL, version INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
    `);
    this.select = db.prepare('SELECT value, version FROM entries WHERE key = ?');
    this.upsert = db.prepare(
      'INSERT INTO entries (key, value, version) VALUES (?, ?, ?) ' +
        'ON CONFLICT (key) DO UPDATE SET value = excluded.value, version = excluded.version',
    );
    this.remove = db.prepare('DELETE FROM entries WHERE key = ?');
    this.saveLastVersion = db.prepare(
      "INSERT INTO meta (name, value) VALUES ('lastVersion', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
    );
    const stored = db.prepare("SELECT value FROM meta WHERE name = 'lastVersion'").get() as
      { value: number } | undefined;
    this.lastVersion = stored?.value ?? 0;
  }

  /** Opens (creating when missing) the database file at `path`. */
  static open(path: string, options: SqliteStateStoreOptions = {}): SqliteStateStore {
    const db = new DatabaseSync(path);
    db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${options.fsync ? 'FULL' : 'NORMAL'};`);
    return new SqliteStateStore(db);
  }

  /** Loads many entries at once in one SQLite transaction (e.g. an import), keeping their versions. */
  restoreAll(entries: Iterable<[string, { value: unknown; version: number }]>, lastVersion: number): void {
    this.inTransaction(() => {
      for (const [key, entry] of entries) this.upsert.run(key, JSON.stringify(entry.value), entry.version);
      this.lastVersion = Math.max(this.lastVersion, lastVersion);
      this.saveLastVersion.run(this.lastVersion);
    });
  }

  get size(): number {
    return (this.db.prepare('SELECT count(*) AS count FROM entries').get() as { count: number }).count;
  }

  close(): void {
    this.db.close();
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
    const row = this.select.get(key) as Row | undefined;
    if (!row) return undefined;
    return { key, value: JSON.parse(row.value) as T, etag: String(row.version) };
  }

  private commit(operations: readonly TransactionOperation[]): void {
    // Serialised before anything is checked, so that a value that cannot be stored changes nothing.
    const values = operations.map((operation) => (operation.operation === 'upsert' ? toJson(operation.value) : ''));
    this.inTransaction(() => {
      const failed = operations
        .filter((operation) => {
          const row = this.select.get(operation.key) as Row | undefined;
          return !writeConditionHolds(operation, row ? String(row.version) : undefined);
        })
        .map((operation) => operation.key);
      if (failed.length > 0) throw new ConcurrencyConflictError(failed);
      let version = this.lastVersion;
      operations.forEach((operation, index) => {
        if (operation.operation === 'delete') this.remove.run(operation.key);
        else this.upsert.run(operation.key, values[index]!, ++version);
      });
      if (version !== this.lastVersion) this.saveLastVersion.run(version);
      this.lastVersion = version;
    });
  }

  /** Runs `work` in one SQLite transaction: committed when it returns, rolled back when it throws. */
  private inTransaction(work: () => void): void {
    const before = this.lastVersion;
    this.db.exec('BEGIN IMMEDIATE');
    try {
      work();
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      this.lastVersion = before;
      throw error;
    }
  }
}

const toJson = (value: unknown): string => {
  if (value === undefined) throw new TypeError('state values must be JSON-serialisable, got undefined');
  return JSON.stringify(value);
};
