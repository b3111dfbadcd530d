import { recordsContract } from '@sitter/ports/contract/records.contract';
import { join } from 'node:path';
import { EmbeddedStateStore, PersistentStateStore, SqliteStateStore } from '../src';
import { tempDir } from './temp-dir';

recordsContract('embedded, in memory', async () => ({
  store: new EmbeddedStateStore(),
  teardown: async () => undefined,
}));

recordsContract('embedded, file-backed', async () => {
  const directory = await tempDir();
  const persistent = await PersistentStateStore.open(directory.path);
  return {
    store: persistent.store,
    teardown: async () => {
      await persistent.close();
      await directory.remove();
    },
  };
});

recordsContract('embedded, SQLite (prototype, not wired)', async () => {
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
