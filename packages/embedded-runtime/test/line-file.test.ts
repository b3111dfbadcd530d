import { appendFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readJournal } from '../src/journal-reader';
import { sealLine } from '../src/sealed-line';
import { readSnapshot, writeSnapshot } from '../src/snapshot-file';
import { tempDir } from './temp-dir';

/** Odd, and smaller than a line: chunk boundaries fall inside lines, inside characters and next to newlines. */
const CHUNK_BYTES = 7;

const recordsWithWideCharacters = (count: number) =>
  Array.from({ length: count }, (_, index) => ({
    key: `job:${index}`,
    // Two-, three- and four-byte UTF-8 characters, so that some are cut in two by a chunk boundary.
    value: { title: `Crèche № ${index} 🍼`.repeat((index % 3) + 1), rate: index },
  }));

describe('reading snapshots and journals a chunk at a time', () => {
  let directory: { path: string; remove(): Promise<void> };

  beforeEach(async () => {
    directory = await tempDir();
  });

  afterEach(async () => {
    await directory.remove();
  });

  it('when a snapshot is many chunks long and lines and characters are split across chunks, then it reads back exactly', async () => {
    const path = join(directory.path, 'snapshot.jsonl');
    const records = recordsWithWideCharacters(200);
    await writeSnapshot(path, { format: 2, journal: 3 }, records);
    expect((await stat(path)).size).toBeGreaterThan(100 * CHUNK_BYTES);

    const replayed: unknown[] = [];
    const snapshot = await readSnapshot<{ format: number; journal: number }>(path, (record) => replayed.push(record), {
      chunkBytes: CHUNK_BYTES,
    });

    expect(replayed).toEqual(records);
    expect(snapshot).toEqual({
      header: { format: 2, journal: 3 },
      unsealed: false,
      records: 200,
      lines: 202,
      problems: [],
    });
  });

  it('when a journal read a chunk at a time ends in a torn line, then every complete line is replayed and the tail is told and cut off', async () => {
    const path = join(directory.path, 'journal-000000.jsonl');
    const records = recordsWithWideCharacters(50);
    await appendFile(path, records.map((record) => `${sealLine(JSON.stringify(record))}\n`).join(''));
    const completeBytes = (await stat(path)).size;
    const torn = sealLine(JSON.stringify({ key: 'job:torn', value: { title: 'Crèche 🍼' } })).slice(0, 30);
    await appendFile(path, torn);
    const replayed: unknown[] = [];
    const told: unknown[] = [];

    const read = await readJournal(path, (record) => replayed.push(record), {
      allowUnsealed: false,
      truncateTorn: true,
      onTorn: (tail) => told.push(tail),
      chunkBytes: CHUNK_BYTES,
    });

    expect(replayed).toEqual(records);
    expect(read).toEqual({ lines: 50, unsealed: 0, problems: [], tornBytes: Buffer.byteLength(torn) });
    expect(told).toEqual([{ file: path, bytes: Buffer.byteLength(torn), text: torn }]);
    expect((await stat(path)).size).toBe(completeBytes);
  });
});
