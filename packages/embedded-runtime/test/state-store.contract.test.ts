import { stateStoreContract } from '@sitter/ports/contract/state-store.contract';
import { join } from 'node:path';
import { EmbeddedStateStore, PersistentStateStore, SqliteStateStore } from '../src';
import { tempDir } from './temp-dir';

stateStoreContract('embedded, in memory', async () => ({
  store: new EmbeddedStateStore(),
  teardown: async () => undefined,
}));

stateStoreContract('embedded, file-backed', async () => {
  const directory = await tempDir();
  // A low threshold makes background compaction run during the suite, not only in its own test.
  const persistent = await PersistentStateStore.open(directory.path, {
    compaction: { minJournalLines: 8, linesPerLiveRecord: 2 },
  });
  return {
    store: persistent.store,
    teardown: async () => {
      await persistent.close();
      await directory.remove();
    },
  };
});

stateStoreContract('embedded, SQLite (prototype, not wired)', async () => {
  const directory = await tempDir();
  const store = SqliteStateStore.open(join(directory.path, 'state.db'));
  return {
    store,
    teardown: async () => {
      store.close();
      await directory.remove();
    },
  };
});
