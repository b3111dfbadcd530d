import { join } from 'node:path';
import type { StateStoreHarness } from '@sitter/ports/contract/state-store.contract';
import { EmbeddedStateStore, PersistentStateStore, SqliteStateStore, type AppendLogOptions } from '../src';
import { tempDir } from './temp-dir';

/** The in-memory store: nothing to tear down. */
export const inMemoryHarness = async (): Promise<StateStoreHarness> => ({
  store: new EmbeddedStateStore(),
  teardown: async () => undefined,
});

/** A file-backed store in a fresh temp directory, closed and removed on teardown. */
export const fileBackedHarness = async (options: AppendLogOptions = {}): Promise<StateStoreHarness> => {
  const directory = await tempDir();
  const persistent = await PersistentStateStore.open(directory.path, options);
  return {
    store: persistent.store,
    teardown: async () => {
      await persistent.close();
      await directory.remove();
    },
  };
};

/** The SQLite prototype (not wired into the runtime) in a fresh temp directory. */
export const sqliteHarness = async (): Promise<StateStoreHarness> => {
  const directory = await tempDir();
  const store = SqliteStateStore.open(join(directory.path, 'state.db'));
  return {
    store,
    teardown: async () => {
      store.close();
      await directory.remove();
    },
  };
};
