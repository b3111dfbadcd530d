import { AppendLog, type AppendLogOptions, type AppendLogStats } from './append-log';
import { EmbeddedStateStore, type CommittedOperation, type StateSnapshot } from './state-store';

/**
 * One journal line per committed save, delete or transaction, so a transaction replays
 * all at once or (torn by a crash) not at all. `lastVersion` lines start a snapshot.
 */
type StateRecord = { ops: EncodedOperation[] } | { lastVersion: number };
type EncodedOperation = { key: string; version: number; value: unknown } | { key: string; deleted: true };

const encode = (operations: readonly CommittedOperation[]): StateRecord => ({
  ops: operations.map((operation) =>
    operation.kind === 'delete'
      ? { key: operation.key, deleted: true }
      : { key: operation.key, version: operation.version, value: operation.value },
  ),
});

const replayInto =
  (store: EmbeddedStateStore) =>
  (record: unknown): void => {
    const decoded = record as Partial<{ ops: EncodedOperation[]; lastVersion: number }>;
    if (typeof decoded.lastVersion === 'number') store.restoreLastVersion(decoded.lastVersion);
    if (!Array.isArray(decoded.ops)) return;
    store.replay(
      decoded.ops.map((operation): CommittedOperation =>
        'deleted' in operation
          ? { kind: 'delete', key: operation.key }
          : { kind: 'upsert', key: operation.key, value: operation.value, version: operation.version },
      ),
    );
  };

function* snapshotRecords({ lastVersion, entries }: StateSnapshot): Generator<StateRecord> {
  yield { lastVersion };
  for (const [key, entry] of entries) yield { ops: [{ key, version: entry.version, value: entry.value }] };
}

/**
 * An embedded state store kept in a directory: every committed change is appended to a
 * journal (grouped with concurrent ones into one write) before the write resolves, and the
 * journal is compacted into a snapshot in the background.
 */
export class PersistentStateStore {
  private constructor(
    readonly store: EmbeddedStateStore,
    private readonly log: AppendLog,
  ) {}

  static async open(directory: string, options: AppendLogOptions = {}): Promise<PersistentStateStore> {
    const store = new EmbeddedStateStore();
    const log = await AppendLog.open(directory, replayInto(store), options);
    store.attachSink({ append: (operations) => log.append(encode(operations)) });
    await log.attach({ capture: () => snapshotRecords(store.snapshot()), liveRecords: () => store.size });
    return new PersistentStateStore(store, log);
  }

  /** Writes a snapshot now instead of waiting for the journal to grow. */
  compact(): Promise<void> {
    return this.log.compact();
  }

  /** Resolves once every write is on disk and no compaction is running. */
  idle(): Promise<void> {
    return this.log.idle();
  }

  stats(): AppendLogStats {
    return this.log.stats();
  }

  /** Flushes and closes the files; writes after this fail and change nothing. */
  close(): Promise<void> {
    return this.log.close();
  }
}

export const openPersistentStateStore = (directory: string, options?: AppendLogOptions) =>
  PersistentStateStore.open(directory, options);
