import { readFile, truncate } from 'node:fs/promises';
import { CorruptDataError } from './corrupt-data-error';
import { openLine } from './sealed-line';

/** A complete line that failed verification. */
export interface LineProblem {
  /** 1-based. */
  line: number;
  problem: string;
  text: string;
}

/** What a crash in the middle of an append left after the last complete line. */
export interface TornTail {
  file: string;
  bytes: number;
  text: string;
}

export interface ScanResult {
  /** Complete lines, damaged or not. */
  lines: number;
  /** Complete lines without a checksum (written before checksums existed). */
  unsealed: number;
  problems: LineProblem[];
}

export interface LineReadOptions {
  /** Accept lines without a checksum: only in a directory not yet migrated to sealed lines. */
  allowUnsealed: boolean;
}

/**
 * Visits every verified record of newline-terminated lines. `onProblem` decides what a damaged line does: loading
 * throws (CorruptDataError), checking collects them all.
 */
export const scanLines = (
  text: string,
  options: LineReadOptions,
  visit: (record: unknown, line: number) => void,
  onProblem: (problem: LineProblem) => void,
): ScanResult => {
  const result: ScanResult = { lines: 0, unsealed: 0, problems: [] };
  let start = 0;
  for (let end = text.indexOf('\n'); end !== -1; start = end + 1, end = text.indexOf('\n', start)) {
    result.lines += 1;
    const line = text.slice(start, end);
    if (line.trim() === '') continue;
    const opened = openLine(line, options);
    if ('problem' in opened) {
      const problem = { line: result.lines, problem: opened.problem, text: line };
      result.problems.push(problem);
      onProblem(problem);
      continue;
    }
    if (!opened.sealed) result.unsealed += 1;
    visit(opened.record, result.lines);
  }
  return result;
};

/** Throws on the first damaged line, naming the file and the line. */
export const refuseDamage =
  (file: string) =>
  (problem: LineProblem): never => {
    throw new CorruptDataError(file, problem.line, problem.problem);
  };

export interface JournalReadOptions extends LineReadOptions {
  /** Cut a torn tail off, so that later appends do not land behind it. */
  truncateTorn?: boolean;
  /** Told about a torn tail before it is cut off. */
  onTorn?: (torn: TornTail) => void;
}

export interface JournalReadResult extends ScanResult {
  tornBytes: number;
}

/**
 * Replays every complete line of a journal. Each line is written with its newline in one append, so a line without
 * one was torn by a crash and never acknowledged: it is reported, not replayed, and cut off when `truncateTorn` is
 * set. A complete line that fails verification means real corruption: opening fails naming the file and the line.
 */
export const readJournal = async (
  path: string,
  replay: (record: unknown) => void,
  options: JournalReadOptions,
): Promise<JournalReadResult> => {
  const content = await readFile(path);
  const validBytes = content.lastIndexOf(0x0a) + 1;
  const tornBytes = content.length - validBytes;
  const scanned = scanLines(content.toString('utf8', 0, validBytes), options, replay, refuseDamage(path));
  if (tornBytes > 0) {
    options.onTorn?.({ file: path, bytes: tornBytes, text: content.toString('utf8', validBytes) });
    if (options.truncateTorn) await truncate(path, validBytes);
  }
  return { ...scanned, tornBytes };
};
