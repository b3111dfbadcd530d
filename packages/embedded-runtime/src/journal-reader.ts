import { readFile, truncate } from 'node:fs/promises';

export interface JournalReadResult {
  /** Complete records replayed. */
  lines: number;
  /** Bytes after the last complete line: what a crash in the middle of an append left behind. */
  tornBytes: number;
}

/**
 * Replays every complete line of a journal. Each line is written with its newline in one
 * append, so a line without one was torn by a crash and never acknowledged: it is ignored,
 * and cut off when `truncateTorn` is set so that later appends do not land behind it.
 * A complete line that is not JSON means real corruption, and is an error.
 */
export const readJournal = async (
  path: string,
  replay: (record: unknown) => void,
  options: { truncateTorn?: boolean } = {},
): Promise<JournalReadResult> => {
  const content = await readFile(path);
  const validBytes = content.lastIndexOf(0x0a) + 1;
  const tornBytes = content.length - validBytes;
  const lines = parseLines(path, content.toString('utf8', 0, validBytes), replay);
  if (tornBytes > 0 && options.truncateTorn) await truncate(path, validBytes);
  return { lines, tornBytes };
};

/** Replays newline-terminated JSON lines; returns how many there were. */
export const parseLines = (source: string, text: string, replay: (record: unknown) => void): number => {
  let count = 0;
  let start = 0;
  for (let end = text.indexOf('\n'); end !== -1; start = end + 1, end = text.indexOf('\n', start)) {
    count += 1;
    const line = text.slice(start, end);
    if (line.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      throw new Error(`${source}: line ${count} is not valid JSON; the file is corrupt`, { cause: error });
    }
    replay(record);
  }
  return count;
};
