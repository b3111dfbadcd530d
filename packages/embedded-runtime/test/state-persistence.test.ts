import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConcurrencyConflictError } from '@sitter/ports';
import { createLogger } from '@sitter/platform';
import { EmbeddedRuntime, PersistentStateStore } from '../src';
import { tempDir } from './temp-dir';
import { appendTornLine, countLines, journalBytes, journalFiles, tearLastLine } from './journal-files';

const logger = createLogger('state-persistence-test', 'silent');
const noAutoCompaction = { compaction: { minJournalLines: Number.MAX_SAFE_INTEGER, linesPerLiveRecord: 2 } };

describe('persistent state', () => {
  let directory: { path: string; remove(): Promise<void> };

  beforeEach(async () => {
    directory = await tempDir();
  });

  afterEach(async () => {
    await directory.remove();
  });

  describe('through the runtime', () => {
    it('when the runtime restarts on the same data dir, then values and etags survive and still work', async () => {
      const first = new EmbeddedRuntime({ logger, dataDir: directory.path });
      const store = await first.stateStore('job');
      await store.save('job:1', { title: 'Evening sitter', rate: 20 });
      await store.save('job:2', { title: 'Weekend' });
      await store.save('job:2', { title: 'Weekend, updated' });
      await store.save('job:3', { title: 'Gone soon' });
      await store.delete('job:3');
      const before = await store.getBulk(['job:1', 'job:2']);
      await first.stop();

      const second = new EmbeddedRuntime({ logger, dataDir: directory.path });
      const reopened = await second.stateStore('job');
      const after = await reopened.getBulk(['job:1', 'job:2', 'job:3']);
      await reopened.save('job:1', { title: 'Evening sitter', rate: 25 }, { etag: before.get('job:1')!.etag });
      await expect(reopened.save('job:2', { title: 'stale' }, { etag: 'not-the-etag' })).rejects.toBeInstanceOf(
        ConcurrencyConflictError,
      );
      await second.stop();

      expect(after.get('job:1')).toEqual(before.get('job:1'));
      expect(after.get('job:2')).toEqual(before.get('job:2'));
      expect(after.has('job:3')).toBe(false);
    });

    it('when a key deleted before a restart is created again, then its etag was never handed out before', async () => {
      const first = new EmbeddedRuntime({ logger, dataDir: directory.path });
      const store = await first.stateStore('user');
      await store.save('user:ada', { v: 1 });
      const oldEtags = [(await store.get('user:ada'))!.etag];
      await store.save('user:bob', { v: 1 });
      oldEtags.push((await store.get('user:bob'))!.etag);
      // The highest version now belongs to an entry that no longer exists.
      await store.delete('user:bob');
      await first.stop();

      const second = new EmbeddedRuntime({ logger, dataDir: directory.path });
      const reopened = await second.stateStore('user');
      await reopened.save('user:bob', { v: 2 });
      const recreated = (await reopened.get('user:bob'))!.etag;
      const staleWrite = reopened.save('user:bob', { v: 3 }, { etag: oldEtags[1] });
      await expect(staleWrite).rejects.toBeInstanceOf(ConcurrencyConflictError);
      await second.stop();

      expect(oldEtags).not.toContain(recreated);
    });

    it('when two apps write, then after a restart each app sees only its own keys', async () => {
      const first = new EmbeddedRuntime({ logger, dataDir: directory.path });
      await (await first.stateStore('user')).save('shared-name', { owner: 'user' });
      await (await first.stateStore('job')).save('shared-name', { owner: 'job' });
      await first.stop();

      const second = new EmbeddedRuntime({ logger, dataDir: directory.path });
      const user = await (await second.stateStore('user')).get('shared-name');
      const job = await (await second.stateStore('job')).get('shared-name');
      await second.stop();

      expect(user?.value).toEqual({ owner: 'user' });
      expect(job?.value).toEqual({ owner: 'job' });
      expect(existsSync(join(directory.path, 'state', 'user'))).toBe(true);
    });

    it('when an app id could escape the data dir, then its store is refused', async () => {
      const runtime = new EmbeddedRuntime({ logger, dataDir: directory.path });

      await expect(runtime.stateStore('../outside')).rejects.toThrow(/cannot name a directory/);

      await runtime.stop();
    });

    it('when the runtime has stopped, then a write fails and changes nothing', async () => {
      const runtime = new EmbeddedRuntime({ logger, dataDir: directory.path });
      const store = await runtime.stateStore('job');
      await store.save('kept', { v: 1 });
      await runtime.stop();

      await expect(store.save('late', { v: 1 })).rejects.toThrow(/closed/);

      expect(await store.get('late')).toBeUndefined();
    });
  });

  describe('transactions and torn lines', () => {
    it('when a transaction was committed, then after reopening all of its keys are present', async () => {
      const persistent = await PersistentStateStore.open(directory.path);
      await persistent.store.transact([
        { operation: 'upsert', key: 'a', value: { n: 1 } },
        { operation: 'upsert', key: 'b', value: { n: 2 } },
        { operation: 'upsert', key: 'c', value: { n: 3 } },
      ]);
      await persistent.close();

      const reopened = await PersistentStateStore.open(directory.path);
      const found = await reopened.store.getBulk(['a', 'b', 'c']);
      await reopened.close();

      expect([...found.keys()].sort()).toEqual(['a', 'b', 'c']);
    });

    it('when a crash tore the line of a transaction, then after reopening none of its keys are present', async () => {
      const persistent = await PersistentStateStore.open(directory.path);
      await persistent.store.save('before', { n: 0 });
      await persistent.store.transact([
        { operation: 'upsert', key: 'a', value: { n: 1 } },
        { operation: 'upsert', key: 'b', value: { n: 2 } },
        { operation: 'delete', key: 'before' },
      ]);
      await persistent.close();
      await tearLastLine(directory.path, 40);

      const reopened = await PersistentStateStore.open(directory.path);
      const found = await reopened.store.getBulk(['before', 'a', 'b']);
      await reopened.close();

      expect([...found.keys()]).toEqual(['before']);
    });

    it('when the journal ends in a torn line, then it is ignored and later writes survive the next reopen', async () => {
      const persistent = await PersistentStateStore.open(directory.path);
      await persistent.store.save('kept', { n: 1 });
      await persistent.close();
      await appendTornLine(directory.path, '{"ops":[{"key":"torn","version":99,"val');

      const reopened = await PersistentStateStore.open(directory.path);
      const afterCrash = await reopened.store.getBulk(['kept', 'torn']);
      await reopened.store.save('later', { n: 2 });
      await reopened.close();
      // Reopening again reads past the place of the torn line: it must have been cut off.
      const third = await PersistentStateStore.open(directory.path);
      const later = await third.store.get('later');
      await third.close();

      expect([...afterCrash.keys()]).toEqual(['kept']);
      expect(later?.value).toEqual({ n: 2 });
    });

    it('when a complete line in the middle of the journal is not JSON, then opening fails loudly', async () => {
      const persistent = await PersistentStateStore.open(directory.path);
      await persistent.store.save('kept', { n: 1 });
      await persistent.close();
      await appendTornLine(directory.path, 'garbage\n{"ops":[]}\n');

      await expect(PersistentStateStore.open(directory.path)).rejects.toThrow(/corrupt/);
    });
  });

  describe('group commit', () => {
    it('when 50 writers save at once, then their lines go out in fewer appends than writes', async () => {
      const persistent = await PersistentStateStore.open(directory.path, noAutoCompaction);

      await Promise.all(Array.from({ length: 50 }, (_, writer) => persistent.store.save(`w${writer}`, { writer })));
      const { batches } = persistent.stats();
      await persistent.close();

      expect(batches).toBeGreaterThan(0);
      expect(batches).toBeLessThan(50);
      expect(await countLines(directory.path)).toBe(50);
    });
  });

  describe('compaction', () => {
    /** Returns the etag key:9 had before it was deleted: the highest version handed out. */
    const writeHistory = async (persistent: PersistentStateStore): Promise<string> => {
      for (let round = 0; round < 10; round += 1) {
        for (let key = 0; key < 10; key += 1) await persistent.store.save(`key:${key}`, { key, round });
      }
      const highest = (await persistent.store.get('key:9'))!.etag;
      await persistent.store.delete('key:9');
      return highest;
    };

    it('when compacted, then the journal shrinks and every live key keeps its value and etag after reopening', async () => {
      const persistent = await PersistentStateStore.open(directory.path, noAutoCompaction);
      const deletedEtag = await writeHistory(persistent);
      const keys = Array.from({ length: 10 }, (_, key) => `key:${key}`);
      const before = await persistent.store.getBulk(keys);
      const bytesBefore = await journalBytes(directory.path);

      await persistent.compact();
      const bytesAfter = await journalBytes(directory.path);
      await persistent.close();
      const reopened = await PersistentStateStore.open(directory.path);
      const after = await reopened.store.getBulk(keys);
      await reopened.store.save('key:9', { recreated: true });
      const recreatedEtag = (await reopened.store.get('key:9'))!.etag;
      await reopened.close();

      expect(bytesAfter).toBeLessThan(bytesBefore);
      expect(recreatedEtag).not.toBe(deletedEtag);
      expect(existsSync(join(directory.path, 'snapshot.jsonl'))).toBe(true);
      expect(after.size).toBe(9);
      expect(after).toEqual(before);
    });

    it('when the journal passes the threshold, then it is compacted in the background while writes go on', async () => {
      const persistent = await PersistentStateStore.open(directory.path, {
        compaction: { minJournalLines: 20, linesPerLiveRecord: 2 },
      });
      await writeHistory(persistent);
      await Promise.all(Array.from({ length: 30 }, (_, n) => persistent.store.save(`key:${n % 5}`, { burst: n })));

      await persistent.idle();
      const { compactions, journalLines } = persistent.stats();
      const live = await persistent.store.getBulk(Array.from({ length: 10 }, (_, key) => `key:${key}`));
      await persistent.close();
      const reopened = await PersistentStateStore.open(directory.path);
      const reloaded = await reopened.store.getBulk(Array.from({ length: 10 }, (_, key) => `key:${key}`));
      await reopened.close();

      expect(compactions).toBeGreaterThan(0);
      expect(journalLines).toBeLessThan(131);
      expect(await journalFiles(directory.path)).toHaveLength(1);
      expect(reloaded).toEqual(live);
      expect(reloaded.get('key:0')?.value).toEqual({ burst: 25 });
    });

    it('when a crash left a journal the snapshot covers, then opening removes it and keeps the state', async () => {
      const persistent = await PersistentStateStore.open(directory.path, noAutoCompaction);
      await persistent.store.save('counter', { n: 1 });
      await persistent.store.delete('counter');
      const [oldJournal] = await journalFiles(directory.path);
      const oldContent = await readFile(oldJournal);
      await persistent.compact();
      await persistent.store.save('after', { n: 2 });
      await persistent.close();
      // Put the covered journal back, as if the crash came right before it was deleted.
      await writeFile(oldJournal, oldContent);

      const reopened = await PersistentStateStore.open(directory.path);
      const found = await reopened.store.getBulk(['counter', 'after']);
      await reopened.close();

      expect([...found.keys()]).toEqual(['after']);
      expect(existsSync(oldJournal)).toBe(false);
    });
  });
});
