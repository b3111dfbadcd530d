import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CorruptDataError } from './corrupt-data-error';
import { LineScanner, refuseDamage, type LineProblem } from './journal-reader';
import { forEachLine, type LineFileOptions } from './line-file';
import { openLine, sealLine } from './sealed-line';

/** Records per write call: big enough to be cheap, small enough to let other work run between them. */
const CHUNK = 1_000;

/** Snapshots written since lines carry checksums; format 1 is the unsealed one before. */
export const SEALED_SNAPSHOT_FORMAT = 2;

/** The last line of a sealed snapshot: a snapshot cut short is told apart from a complete one by it. */
interface Trailer {
  snapshotEnd: true;
  records: number;
}

const isTrailer = (record: unknown): record is Trailer =>
  typeof record === 'object' && record !== null && (record as Partial<Trailer>).snapshotEnd === true;

/**
 * Writes a snapshot the crash-safe way: sealed JSON lines (a header, the records, a trailer counting them) to a temp
 * file, fsync, rename over the old snapshot, fsync the directory. A reader therefore sees either the old snapshot or
 * the complete new one, never a part.
 */
export const writeSnapshot = async (
  path: string,
  header: { format: number; [field: string]: unknown },
  records: Iterable<unknown>,
): Promise<void> => {
  const temp = `${path}.tmp`;
  const file = await open(temp, 'w');
  try {
    let count = 0;
    let chunk: string[] = [sealLine(JSON.stringify({ ...header, format: SEALED_SNAPSHOT_FORMAT }))];
    for (const record of records) {
      chunk.push(sealLine(JSON.stringify(record)));
      count += 1;
      if (chunk.length >= CHUNK) {
        await file.write(`${chunk.join('\n')}\n`);
        chunk = [];
      }
    }
    chunk.push(sealLine(JSON.stringify({ snapshotEnd: true, records: count } satisfies Trailer)));
    await file.write(`${chunk.join('\n')}\n`);
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

export interface SnapshotScan<Header> {
  header?: Header;
  /** Written before checksums: lines unsealed, no trailer. */
  unsealed: boolean;
  records: number;
  lines: number;
  problems: LineProblem[];
}

/**
 * Visits a snapshot's records, verifying every line, given one line at a time (`line`), and returns its header from
 * `finish`. An unsealed first line is accepted only as the header of a format 1 snapshot (then every line may be
 * unsealed); a sealed snapshot must end with its trailer.
 */
export class SnapshotScanner<Header> {
  private scanner?: LineScanner;
  private unsealed = false;
  private header?: Header;
  private held?: { record: unknown; line: number };
  private records = 0;

  constructor(
    private readonly visit: (record: unknown) => void,
    private readonly onProblem: (problem: LineProblem) => void,
  ) {}

  /** One complete line, without its newline. */
  line(line: string): void {
    this.scanner ??= this.start(line);
    this.scanner.line(line);
  }

  /** After the last line: checks the trailer. */
  finish(): SnapshotScan<Header> {
    const scanned = (this.scanner ??= this.start('')).result;
    const problems = [...scanned.problems];
    const report = (line: number, problem: string, lineText = '') => {
      const found = { line, problem, text: lineText };
      problems.push(found);
      this.onProblem(found);
    };
    const held = this.held;
    if (!this.unsealed && scanned.problems.length === 0) {
      if (!held || !isTrailer(held.record)) report(scanned.lines + 1, 'is missing: the snapshot was cut short');
      else if (held.record.records !== this.records)
        report(held.line, `counts ${held.record.records} records, but the snapshot holds ${this.records}`);
    } else if (held && !isTrailer(held.record)) {
      // Damaged elsewhere (or a snapshot cut short): the last record read is still a record.
      this.records += 1;
      this.visit(held.record);
    }
    return { header: this.header, unsealed: this.unsealed, records: this.records, lines: scanned.lines, problems };
  }

  private start(firstLine: string): LineScanner {
    const first = openLine(firstLine, { allowUnsealed: true });
    this.unsealed =
      !('problem' in first) && !first.sealed && (first.record as { format?: unknown } | null)?.format === 1;
    return new LineScanner(
      { allowUnsealed: this.unsealed },
      (record, line) => this.record(record, line),
      this.onProblem,
    );
  }

  private record(record: unknown, line: number): void {
    if (this.header === undefined && line === 1) {
      this.header = record as Header;
      return;
    }
    // A sealed snapshot's last line is its trailer, so each record is replayed once the next line is read.
    if (this.unsealed) {
      this.records += 1;
      this.visit(record);
      return;
    }
    if (this.held) {
      this.records += 1;
      this.visit(this.held.record);
    }
    this.held = { record, line };
  }
}

/**
 * Replays a snapshot's records and returns it, or undefined when there is no snapshot. Damage throws. The file is
 * read a line at a time (line-file.ts): a snapshot may be longer than the longest string V8 can build.
 */
export const readSnapshot = async <Header>(
  path: string,
  replay: (record: unknown) => void,
  options: LineFileOptions = {},
): Promise<SnapshotScan<Header> | undefined> => {
  let endsInNewline: boolean;
  try {
    endsInNewline = await lastByteIsNewline(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (!endsInNewline) {
    let lines = 0;
    await forEachLine(path, () => (lines += 1), options);
    throw new CorruptDataError(path, lines + 1, 'is incomplete: the snapshot was cut short');
  }
  const scanner = new SnapshotScanner<Header>(replay, refuseDamage(path));
  await forEachLine(path, (line) => scanner.line(line), options);
  return scanner.finish();
};

const lastByteIsNewline = async (path: string): Promise<boolean> => {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    if (size === 0) return false;
    const { buffer } = await file.read(Buffer.alloc(1), 0, 1, size - 1);
    return buffer[0] === 0x0a;
  } finally {
    await file.close();
  }
};

export const syncDirectory = async (path: string): Promise<void> => {
  const directory = await open(path, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
};
