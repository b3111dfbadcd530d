import { truncate } from 'node:fs/promises';
import { CorruptDataError } from './corrupt-data-error';
import { forEachLine, type LineFileOptions } from './line-file';
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
 * Visits every verified record of newline-terminated lines, given one line at a time (`line`). `onProblem` decides
 * what a damaged line does: loading throws (CorruptDataError), checking collects them all.
 */
export class LineScanner {
  readonly result: ScanResult = { lines: 0, unsealed: 0, problems: [] };

  constructor(
    private readonly options: LineReadOptions,
    private readonly visit: (record: unknown, line: number) => void,
    private readonly onProblem: (problem: LineProblem) => void,
  ) {}

  /** One complete line, without its newline. */
  line(line: string): void {
    const result = this.result;
    result.lines += 1;
    if (line.trim() === '') return;
    const opened = openLine(line, this.options);
    if ('problem' in opened) {
      const problem = { line: result.lines, problem: opened.problem, text: line };
      result.problems.push(problem);
      this.onProblem(problem);
      return;
    }
    if (!opened.sealed) result.unsealed += 1;
    this.visit(opened.record, result.lines);
  }
}

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
  options: JournalReadOptions & LineFileOptions,
): Promise<JournalReadResult> => {
  const scanner = new LineScanner(options, replay, refuseDamage(path));
  const { validBytes, tail } = await forEachLine(path, (line) => scanner.line(line), options);
  if (tail.length > 0) {
    options.onTorn?.({ file: path, bytes: tail.length, text: tail.toString('utf8') });
    if (options.truncateTorn) await truncate(path, validBytes);
  }
  return { ...scanner.result, tornBytes: tail.length };
};
