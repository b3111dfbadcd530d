import { join } from 'node:path';
import { ConcurrencyConflictError } from '@sitter/ports';
import { SqliteStateStore } from '../src';
import { tempDir } from './temp-dir';

describe('SqliteStateStore (prototype, not wired)', () => {
  it('when the file is reopened, then the entries come back with their etags and versions keep rising', async () => {
    // Arrange
    const directory = await tempDir();
    const path = join(directory.path, 'state.db');
    try {
      const first = SqliteStateStore.open(path);
      await first.save('job:1', { status: 'OPEN' });
      await first.transact([
        { operation: 'upsert', key: 'job:2', value: { status: 'OPEN' } },
        { operation: 'delete', key: 'job:1' },
      ]);
      const before = await first.get('job:2');
      first.close();

      // Act
      const reopened = SqliteStateStore.open(path);
      const after = await reopened.get('job:2');
      const gone = await reopened.get('job:1');
      await reopened.save('job:3', { status: 'OPEN' });
      const newest = await reopened.get('job:3');

      // Assert
      expect(after).toEqual(before);
      expect(gone).toBeUndefined();
      expect(Number(newest!.etag)).toBeGreaterThan(Number(after!.etag));
      await expect(reopened.save('job:2', { status: 'CLOSED' }, { etag: '1' })).rejects.toThrow(
        ConcurrencyConflictError,
      );
      reopened.close();
    } finally {
      await directory.remove();
    }
  });

  it('when a transaction holds a value that cannot be stored, then nothing of it is written', async () => {
    // Arrange
    const directory = await tempDir();
    const store = SqliteStateStore.open(join(directory.path, 'state.db'));
    try {
      // Act
      const write = store.transact([
        { operation: 'upsert', key: 'a', value: 1 },
        { operation: 'upsert', key: 'b', value: undefined },
      ]);

      // Assert
      await expect(write).rejects.toThrow(TypeError);
      expect(await store.get('a')).toBeUndefined();
    } finally {
      store.close();
      await directory.remove();
    }
  });
});
