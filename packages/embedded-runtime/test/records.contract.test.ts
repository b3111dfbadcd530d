import { recordsContract } from '@sitter/ports/contract/records.contract';
import { EmbeddedStateStore, PersistentStateStore } from '../src';
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
