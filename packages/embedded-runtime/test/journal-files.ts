import { appendFile, readdir, readFile, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';

/** The journal files of a log directory, oldest first. */
export const journalFiles = async (directory: string): Promise<string[]> =>
  (await readdir(directory))
    .filter((name) => /^journal-\d+\.jsonl$/.test(name))
    .sort()
    .map((name) => join(directory, name));

export const journalBytes = async (directory: string): Promise<number> => {
  let total = 0;
  for (const file of await journalFiles(directory)) total += (await stat(file)).size;
  return total;
};

export const newestJournal = async (directory: string): Promise<string> => {
  const files = await journalFiles(directory);
  if (files.length === 0) throw new Error(`no journal in ${directory}`);
  return files[files.length - 1];
};

/** What a crash in the middle of an append leaves: the start of a line without its end. */
export const appendTornLine = async (directory: string, text: string): Promise<void> => {
  await appendFile(await newestJournal(directory), text);
};

/** Cuts the newest journal's last line short, as a crash while writing it would. */
export const tearLastLine = async (directory: string, keepBytesOfLastLine: number): Promise<void> => {
  const file = await newestJournal(directory);
  const content = await readFile(file, 'utf8');
  const lastLineStart = content.lastIndexOf('\n', content.length - 2) + 1;
  await truncate(file, Buffer.byteLength(content.slice(0, lastLineStart)) + keepBytesOfLastLine);
};

/** A file compaction removed between the listing and the read counts as empty: what it held is in a newer one. */
const readIfThere = (file: string): Promise<string> =>
  readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });

export const countLines = async (directory: string): Promise<number> => {
  let lines = 0;
  for (const file of await journalFiles(directory)) lines += (await readIfThere(file)).split('\n').length - 1;
  return lines;
};
