import { open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseLines } from './journal-reader';

/** Records per write call: big enough to be cheap, small enough to let other work run between them. */
const CHUNK = 1_000;

/**
 * Writes a snapshot the crash-safe way: JSON lines (a header, then the records) to a temp
 * file, fsync, rename over the old snapshot, fsync the directory. A reader therefore sees
 * either the old snapshot or the complete new one, never a part.
 */
export const writeSnapshot = async (path: string, header: object, records: Iterable<unknown>): Promise<void> => {
  const temp = `${path}.tmp`;
  const file = await open(temp, 'w');
  try {
    let chunk: string[] = [JSON.stringify(header)];
    for (const record of records) {
      chunk.push(JSON.stringify(record));
      if (chunk.length >= CHUNK) {
        await file.write(`${chunk.join('\n')}\n`);
        chunk = [];
      }
    }
    if (chunk.length > 0) await file.write(`${chunk.join('\n')}\n`);
    await file.sync();
  } catch (error) {
    await file.close();
    await rm(temp, { force: true });
    throw error;
  }
  await file.close();
  await rename(temp, path);
  await syncDirectory(dirname(path));
};

/** Replays a snapshot's records and returns its header, or undefined when there is no snapshot. */
export const readSnapshot = async <Header>(
  path: string,
  replay: (record: unknown) => void,
): Promise<Header | undefined> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (!text.endsWith('\n')) throw new Error(`${path}: snapshot is incomplete; the file is corrupt`);
  let header: Header | undefined;
  parseLines(path, text, (record) => {
    if (header === undefined) header = record as Header;
    else replay(record);
  });
  return header;
};

export const syncDirectory = async (path: string): Promise<void> => {
  const directory = await open(path, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
};
