import { open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CorruptDataError } from './corrupt-data-error';
import { refuseDamage, scanLines, type LineProblem } from './journal-reader';
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
 * Visits a snapshot's records, verifying every line, and returns its header. An unsealed first line is accepted only
 * as the header of a format 1 snapshot (then every line may be unsealed); a sealed snapshot must end with its trailer.
 */
export const scanSnapshot = <Header>(
  text: string,
  visit: (record: unknown) => void,
  onProblem: (problem: LineProblem) => void,
): SnapshotScan<Header> => {
  const firstLine = text.slice(0, Math.max(0, text.indexOf('\n')));
  const first = openLine(firstLine, { allowUnsealed: true });
  const unsealed =
    !('problem' in first) && !first.sealed && (first.record as { format?: unknown } | null)?.format === 1;
  let header: Header | undefined;
  let held: { record: unknown; line: number } | undefined;
  let records = 0;
  const scanned = scanLines(
    text,
    { allowUnsealed: unsealed },
    (record, line) => {
      if (header === undefined && line === 1) {
        header = record as Header;
        return;
      }
      // A sealed snapshot's last line is its trailer, so each record is replayed once the next line is read.
      if (unsealed) {
        records += 1;
        visit(record);
        return;
      }
      if (held) {
        records += 1;
        visit(held.record);
      }
      held = { record, line };
    },
    onProblem,
  );
  const problems = [...scanned.problems];
  const report = (line: number, problem: string, lineText = '') => {
    const found = { line, problem, text: lineText };
    problems.push(found);
    onProblem(found);
  };
  if (!unsealed && scanned.problems.length === 0) {
    if (!held || !isTrailer(held.record)) report(scanned.lines + 1, 'is missing: the snapshot was cut short');
    else if (held.record.records !== records)
      report(held.line, `counts ${held.record.records} records, but the snapshot holds ${records}`);
  } else if (held && !isTrailer(held.record)) {
    // Damaged elsewhere (or a snapshot cut short): the last record read is still a record.
    records += 1;
    visit(held.record);
  }
  return { header, unsealed, records, lines: scanned.lines, problems };
};

/** Replays a snapshot's records and returns it, or undefined when there is no snapshot. Damage throws. */
export const readSnapshot = async <Header>(
  path: string,
  replay: (record: unknown) => void,
): Promise<SnapshotScan<Header> | undefined> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (!text.endsWith('\n')) {
    throw new CorruptDataError(path, text.split('\n').length, 'is incomplete: the snapshot was cut short');
  }
  return scanSnapshot<Header>(text, replay, refuseDamage(path));
};

export const syncDirectory = async (path: string): Promise<void> => {
  const directory = await open(path, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
};
