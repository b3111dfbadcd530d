import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createLogger } from '@sitter/platform';
import { checkDataDir, CorruptDataError, EmbeddedRuntime, PersistentStateStore, repairDataDir } from '../src';
import { appendTornLine, newestJournal } from './journal-files';
import { tempDir } from './temp-dir';

const noAutoCompaction = { compaction: { minJournalLines: Number.MAX_SAFE_INTEGER, linesPerLiveRecord: 2 } };
const user = (id: string) => ({ username: id, email: `${id}@example.com`, updatedOn: '2026-01-01T00:00:00Z' });

/** Replaces the first `from` in the file by `to` (same length, so the JSON stays valid and nothing else moves). */
const changeBytes = async (file: string, from: string, to: string): Promise<number> => {
  const text = await readFile(file, 'utf8');
  const at = text.indexOf(from);
  if (at === -1 || from.length !== to.length) throw new Error(`cannot change ${from} in ${file}`);
  await writeFile(file, text.slice(0, at) + to + text.slice(at + from.length));
  return text.slice(0, at).split('\n').length;
};

const runCli = async (command: string, dataDir: string) => {
  const cli = join(__dirname, '..', 'src', 'cli.ts');
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', cli, command], {
      env: { ...process.env, DATA_DIR: dataDir },
    });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout + failed.stderr };
  }
};

describe('verified persistence', () => {
  let directory: { path: string; remove(): Promise<void> };
  const store = () => join(directory.path, 'state', 'user');

  beforeEach(async () => {
    directory = await tempDir();
  });

  afterEach(async () => {
    await directory.remove();
  });

  /** npm start's layout: <dataDir>/state/user with two users and the email index, all in the journal. */
  const writeUsers = async (options: { compact?: boolean } = {}) => {
    const persistent = await PersistentStateStore.open(store(), noAutoCompaction);
    await persistent.store.transact([
      { operation: 'upsert', key: 'user:r3xn17', value: user('r3xn17') },
      { operation: 'upsert', key: 'email:r3xn17@example.com', value: { username: 'r3xn17' } },
    ]);
    await persistent.store.save('user:k2', user('k2'));
    if (options.compact) await persistent.compact();
    await persistent.close();
  };

  describe('at start-up', () => {
    it('when a byte of a journal line changed and the JSON stayed valid, then opening fails naming the file and line', async () => {
      await writeUsers();
      const journal = await newestJournal(store());
      const line = await changeBytes(journal, '"key":"user:r3xn17"', '"key":"user:Z3xn17"');

      const opening = PersistentStateStore.open(store());

      await expect(opening).rejects.toBeInstanceOf(CorruptDataError);
      await expect(opening).rejects.toThrow(`${journal}: line ${line} does not match its checksum`);
      await expect(opening).rejects.toThrow(/npm run data:check.*npm run data:repair/);
    });

    it('when a byte of a snapshot changed and the JSON stayed valid, then opening fails naming the file and line', async () => {
      await writeUsers({ compact: true });
      const snapshot = join(store(), 'snapshot.jsonl');
      const line = await changeBytes(snapshot, 'updatedOn', 'updateeOn');

      const opening = PersistentStateStore.open(store());

      await expect(opening).rejects.toThrow(`${snapshot}: line ${line} does not match its checksum`);
    });

    it('when a snapshot lost its last lines, then opening fails saying it was cut short', async () => {
      await writeUsers({ compact: true });
      const snapshot = join(store(), 'snapshot.jsonl');
      const lines = (await readFile(snapshot, 'utf8')).split('\n');
      await writeFile(snapshot, `${lines.slice(0, 2).join('\n')}\n`);

      await expect(PersistentStateStore.open(store())).rejects.toThrow(`${snapshot}: line 3 is missing`);
    });

    it('when the runtime starts on a damaged file, then nothing is started and the data dir is unlocked', async () => {
      await writeUsers();
      await changeBytes(await newestJournal(store()), 'user:k2', 'user:k3');
      const runtime = new EmbeddedRuntime({ logger: createLogger('test', 'silent'), dataDir: directory.path });

      await expect(runtime.stateStore('user')).rejects.toBeInstanceOf(CorruptDataError);
      await runtime.stop();

      expect(existsSync(join(directory.path, 'LOCK'))).toBe(false);
    });

    it('when a journal ends in a torn line, then a warning names the file and the keys it dropped, and it is cut off', async () => {
      await writeUsers();
      const journal = await newestJournal(store());
      const sizeBefore = (await stat(journal)).size;
      const tornText = '1234abcd {"ops":[{"key":"user:torn1","version":9,"val';
      await appendTornLine(store(), tornText);
      const logger = createLogger('test', 'silent');
      const warn = jest.spyOn(logger, 'warn');
      const runtime = new EmbeddedRuntime({ logger, dataDir: directory.path });

      const reopened = await runtime.stateStore('user');
      const torn = await reopened.get('user:torn1');
      await runtime.stop();

      expect(torn).toBeUndefined();
      expect(warn).toHaveBeenCalledWith(
        expect.stringContaining('torn by a crash'),
        expect.objectContaining({
          file: journal,
          names: ['user:torn1'],
          droppedBytes: tornText.length,
          dropped: tornText,
        }),
      );
      expect((await stat(journal)).size).toBe(sizeBefore);
    });
  });

  describe('data written before checksums', () => {
    it('when a directory holds unsealed lines, then it opens with every record and is sealed from then on', async () => {
      await writeFile(
        join(directory.path, 'snapshot.jsonl'),
        '{"format":1,"journal":0}\n{"lastVersion":2}\n{"ops":[{"key":"a","version":1,"value":{"n":1}}]}\n',
      );
      await writeFile(
        join(directory.path, 'journal-000000.jsonl'),
        '{"ops":[{"key":"b","version":2,"value":{"n":2}}]}\n',
      );

      const opened = await PersistentStateStore.open(directory.path);
      const found = await opened.store.getBulk(['a', 'b']);
      await opened.close();
      const files = await readdir(directory.path);
      const snapshot = await readFile(join(directory.path, 'snapshot.jsonl'), 'utf8');

      expect([...found.keys()]).toEqual(['a', 'b']);
      expect(files).not.toContain('journal-000000.jsonl');
      expect(
        snapshot
          .split('\n')
          .filter(Boolean)
          .every((line) => /^[0-9a-f]{8} \{/.test(line)),
      ).toBe(true);
    });

    it('when a sealed directory gets a line without a checksum, then opening refuses it', async () => {
      await writeUsers();
      await appendTornLine(store(), '{"ops":[{"key":"smuggled","version":99,"value":{}}]}\n');

      await expect(PersistentStateStore.open(store())).rejects.toThrow(/line \d+ has no checksum/);
    });
  });

  describe('data:check and data:repair', () => {
    it('when a journal line and a snapshot line are damaged, then check lists both and the data dir stays as it was', async () => {
      await writeUsers({ compact: true });
      const snapshot = join(store(), 'snapshot.jsonl');
      await changeBytes(snapshot, 'updatedOn', 'updateeOn');
      const reopened = await PersistentStateStore.open(join(directory.path, 'state', 'job'));
      await reopened.store.save('job:1', { title: 'x' });
      await reopened.close();
      const jobJournal = await newestJournal(join(directory.path, 'state', 'job'));
      await changeBytes(jobJournal, '"title":"x"', '"title":"y"');
      const before = await readFile(snapshot);

      const report = await checkDataDir(directory.path);

      const damaged = report.files.filter((file) => file.problems.length > 0).map((file) => file.file);
      expect(damaged.sort()).toEqual([jobJournal, snapshot].sort());
      expect(await readFile(snapshot)).toEqual(before);
    });

    it('when repaired, then the damaged line is dropped, a copy of the file as it was is kept, and start-up works', async () => {
      await writeUsers({ compact: true });
      const snapshot = join(store(), 'snapshot.jsonl');
      await changeBytes(snapshot, '"key":"user:r3xn17"', '"key":"user:Z3xn17"');
      const damaged = await readFile(snapshot);

      const report = await repairDataDir(directory.path, new Date('2026-02-03T04:05:06Z'));
      const copy = join(report.copies!, 'state', 'user', 'snapshot.jsonl');
      const reopened = await PersistentStateStore.open(store());
      const found = await reopened.store.getBulk(['user:r3xn17', 'user:Z3xn17', 'user:k2', 'email:r3xn17@example.com']);
      await reopened.close();
      const afterRepair = await checkDataDir(directory.path);

      expect(report.copies).toBe(join(directory.path, 'repair-2026-02-03T04-05-06-000Z'));
      expect(await readFile(copy)).toEqual(damaged);
      expect(await readFile(join(report.copies!, 'REPORT.txt'), 'utf8')).toContain('user:Z3xn17');
      expect([...found.keys()].sort()).toEqual(['email:r3xn17@example.com', 'user:k2']);
      expect(afterRepair.files.every((file) => file.problems.length === 0)).toBe(true);
    });

    it('when the commands run as npm runs them, then check exits 1 naming the line and repair exits 0', async () => {
      await writeUsers();
      const journal = await newestJournal(store());
      const line = await changeBytes(journal, 'user:k2', 'user:k9');

      const check = await runCli('check', directory.path);
      const repair = await runCli('repair', directory.path);
      const again = await runCli('check', directory.path);

      expect(check.code).toBe(1);
      expect(check.stdout).toContain(`line ${line} does not match its checksum`);
      expect(repair.code).toBe(0);
      expect(repair.stdout).toContain('repair-');
      expect(again.code).toBe(0);
    }, 30_000);

    it('when a runtime holds the data dir, then check refuses to read it', async () => {
      await writeUsers();
      const runtime = new EmbeddedRuntime({ logger: createLogger('test', 'silent'), dataDir: directory.path });
      await runtime.stateStore('user');

      const checking = checkDataDir(directory.path);

      await expect(checking).rejects.toThrow(/in use by process/);
      await runtime.stop();
    });
  });
});
