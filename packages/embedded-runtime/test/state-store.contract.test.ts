import { stateStoreContract } from '@sitter/ports/contract/state-store.contract';
import { EmbeddedStateStore, PersistentStateStore } from '../src';
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
