import { outboxContract } from '@sitter/ports/contract/outbox.contract';
import { EmbeddedStateStore, PersistentStateStore } from '../src';
import { tempDir } from './temp-dir';

outboxContract('embedded, in memory', async () => ({
  store: new EmbeddedStateStore(),
  teardown: async () => undefined,
}));

outboxContract('embedded, file-backed', async () => {
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
