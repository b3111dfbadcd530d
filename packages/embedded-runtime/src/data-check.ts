import { copyFile, mkdir, open, readdir, rename } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { JOURNAL, SNAPSHOT } from './append-log';
import { lockDataDir, type DataDirLock } from './data-dir-lock';
import { LineScanner, type LineProblem } from './journal-reader';
import { forEachLine } from './line-file';
import { sealLine } from './sealed-line';
import { SnapshotScanner, syncDirectory, writeSnapshot } from './snapshot-file';

/** What verification found in one snapshot or journal file. */
export interface FileReport {
  file: string;
  kind: 'snapshot' | 'journal';
  /** Complete lines. */
  lines: number;
  /** Lines without a checksum (written before checksums; sealed at the next start). */
  unsealed: number;
  /** Damaged lines: start-up refuses the file while there is one. */
  problems: LineProblem[];
  /** Bytes after the journal's last complete line: a crash's torn append, cut off (with a warning) at start-up. */
  tornBytes: number;
}

export interface DataReport {
  dataDir: string;
  files: FileReport[];
}

/** Folders under a data directory that hold no runtime log: dev:dapr's Redis and Kafka data, earlier repairs. */
const NOT_LOGS = new Set(['dapr', 'node_modules']);
const isRepairCopy = (name: string) => name.startsWith('repair-');

/** Every directory under `dataDir` that holds a snapshot or journals (state per app id, pubsub). */
export const findLogDirectories = async (dataDir: string): Promise<string[]> => {
  const found: string[] = [];
  const walk = async (directory: string): Promise<void> => {
    const entries = await readdir(directory, { withFileTypes: true }).catch(() => []);
    if (entries.some((entry) => entry.isFile() && (entry.name === SNAPSHOT || JOURNAL.test(entry.name))))
      found.push(directory);
    for (const entry of entries)
      if (entry.isDirectory() && !NOT_LOGS.has(entry.name) && !isRepairCopy(entry.name))
        await walk(join(directory, entry.name));
  };
  await walk(resolve(dataDir));
  return found.sort();
};

const journalsOf = async (directory: string): Promise<string[]> =>
  (await readdir(directory))
    .filter((name) => JOURNAL.test(name))
    .sort()
    .map((name) => join(directory, name));

interface ScannedDirectory {
  snapshot?: { report: FileReport; header?: { journal?: number }; records: unknown[] };
  journals: Array<{ report: FileReport; lines: string[]; keep: boolean[] }>;
}

/** A snapshot's records and every problem in it; a torn last line is read as a line (it is reported, not cut). */
const scanSnapshotFile = async (path: string) => {
  const records: unknown[] = [];
  const scanner = new SnapshotScanner<{ journal?: number }>(
    (record) => records.push(record),
    () => undefined,
  );
  const { tail } = await forEachLine(path, (line) => scanner.line(line));
  if (tail.length > 0) scanner.line(tail.toString('utf8'));
  return { result: scanner.finish(), records };
};

/** Reads a log directory the way start-up does, but collects every problem instead of stopping at the first. */
const scanDirectory = async (directory: string): Promise<ScannedDirectory> => {
  const scanned: ScannedDirectory = { journals: [] };
  const snapshotPath = join(directory, SNAPSHOT);
  let allowUnsealed = true;
  const snapshot = await scanSnapshotFile(snapshotPath).catch(() => undefined);
  if (snapshot !== undefined) {
    const { result, records } = snapshot;
    allowUnsealed = result.unsealed;
    scanned.snapshot = {
      header: result.header,
      records,
      report: {
        file: snapshotPath,
        kind: 'snapshot',
        lines: result.lines,
        unsealed: result.unsealed ? result.lines : 0,
        problems: result.problems,
        tornBytes: 0,
      },
    };
  }
  for (const file of await journalsOf(directory)) {
    const lines: string[] = [];
    const keep: boolean[] = [];
    const scanner = new LineScanner(
      { allowUnsealed },
      () => undefined,
      (problem) => {
        keep[problem.line - 1] = false;
      },
    );
    const { tail } = await forEachLine(file, (line) => {
      lines.push(line);
      keep.push(true);
      scanner.line(line);
    });
    const result = scanner.result;
    scanned.journals.push({
      lines,
      keep,
      report: {
        file,
        kind: 'journal',
        lines: result.lines,
        unsealed: result.unsealed,
        problems: result.problems,
        tornBytes: tail.length,
      },
    });
  }
  return scanned;
};

const reportsOf = (scanned: ScannedDirectory): FileReport[] => [
  ...(scanned.snapshot ? [scanned.snapshot.report] : []),
  ...scanned.journals.map((journal) => journal.report),
];

/** Takes the lock of every runtime data directory involved, so that nothing writes while they are read or repaired. */
const lockRuntimeRoots = async (logDirectories: readonly string[]): Promise<DataDirLock[]> => {
  // A log directory is <root>/state/<appId> or <root>/pubsub; <root> is what a runtime locks.
  const roots = new Set(
    logDirectories.map((directory) =>
      dirname(directory).endsWith('/state') || dirname(directory).endsWith('\\state')
        ? dirname(dirname(directory))
        : dirname(directory),
    ),
  );
  const locks: DataDirLock[] = [];
  try {
    for (const root of roots) locks.push(await lockDataDir(root));
  } catch (error) {
    await Promise.all(locks.map((lock) => lock.release()));
    throw error;
  }
  return locks;
};

const withLockedLogs = async <T>(dataDir: string, work: (directories: string[]) => Promise<T>): Promise<T> => {
  const directories = await findLogDirectories(dataDir);
  const locks = await lockRuntimeRoots(directories);
  try {
    return await work(directories);
  } finally {
    await Promise.all(locks.map((lock) => lock.release()));
  }
};

/** Verifies every line of every snapshot and journal under `dataDir` (`npm run data:check`). */
export const checkDataDir = (dataDir: string): Promise<DataReport> =>
  withLockedLogs(dataDir, async (directories) => {
    const files: FileReport[] = [];
    for (const directory of directories) files.push(...reportsOf(await scanDirectory(directory)));
    return { dataDir: resolve(dataDir), files };
  });

export interface RepairReport extends DataReport {
  /** Where the files were copied as they were before being rewritten; undefined when nothing needed repair. */
  copies?: string;
}

/** Pieces per write call: a journal may be longer than the longest string V8 can build, so it is never joined whole. */
const PIECES_PER_WRITE = 1_000;

/** Writes the pieces one after the other, as they are. */
const writeFileSafely = async (path: string, pieces: readonly string[]): Promise<void> => {
  const temp = `${path}.repair.tmp`;
  const file = await open(temp, 'w');
  try {
    for (let start = 0; start < pieces.length; start += PIECES_PER_WRITE)
      await file.write(pieces.slice(start, start + PIECES_PER_WRITE).join(''));
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temp, path);
  await syncDirectory(dirname(path));
};

const needsRepair = (report: FileReport): boolean => report.problems.length > 0 || report.tornBytes > 0;

/**
 * Sets damaged lines aside so that the runtime starts again (`npm run data:repair`): every damaged line is dropped,
 * torn tails are cut off, and the files it rewrites are first copied, as they were, to `<dataDir>/repair-<time>/`
 * with a REPORT.txt of every dropped line. The rewritten files carry a checksum on every line. What a dropped record
 * held is lost from the state: records that referred to it (an index entry) may now point nowhere.
 */
export const repairDataDir = (dataDir: string, now: Date = new Date()): Promise<RepairReport> =>
  withLockedLogs(dataDir, async (directories) => {
    const root = resolve(dataDir);
    const copies = join(root, `repair-${now.toISOString().replace(/[:.]/g, '-')}`);
    const files: FileReport[] = [];
    const dropped: string[] = [];
    let copied = false;
    const keepCopy = async (file: string) => {
      const target = join(copies, relative(root, file));
      await mkdir(dirname(target), { recursive: true });
      await copyFile(file, target);
      copied = true;
    };
    for (const directory of directories) {
      const scanned = await scanDirectory(directory);
      const reports = reportsOf(scanned);
      files.push(...reports);
      if (!reports.some(needsRepair)) continue;
      for (const report of reports)
        for (const problem of report.problems)
          dropped.push(`${relative(root, report.file)} line ${problem.line} ${problem.problem}: ${problem.text}`);
      // Whatever this directory holds is rewritten sealed, so that no unsealed line follows a sealed snapshot.
      if (scanned.snapshot && (needsRepair(scanned.snapshot.report) || scanned.snapshot.report.unsealed > 0)) {
        const { header, records, report } = scanned.snapshot;
        await keepCopy(report.file);
        // A damaged header loses which journals the snapshot covers: replaying all that remain is the safe side.
        const journal = typeof header?.journal === 'number' ? header.journal : await oldestJournal(directory);
        await writeSnapshot(report.file, { format: 2, journal }, records);
      }
      for (const { report, lines, keep } of scanned.journals) {
        if (!needsRepair(report) && report.unsealed === 0) continue;
        await keepCopy(report.file);
        const kept = lines.filter((_, index) => keep[index] && lines[index].trim() !== '');
        const sealed = kept.map((line) => (/^[0-9a-f]{8} /.test(line) ? line : sealLine(line)));
        await writeFileSafely(
          report.file,
          sealed.map((line) => `${line}\n`),
        );
        if (report.tornBytes > 0)
          dropped.push(`${relative(root, report.file)}: a torn tail of ${report.tornBytes} bytes`);
      }
    }
    if (!copied) return { dataDir: root, files };
    await writeFileSafely(join(copies, 'REPORT.txt'), [
      `npm run data:repair at ${now.toISOString()} dropped:\n${dropped.map((line) => `- ${line}`).join('\n')}\n` +
        'The files as they were before the repair are next to this report, at the same paths.\n',
    ]);
    return { dataDir: root, files, copies };
  });

const oldestJournal = async (directory: string): Promise<number> => {
  const generations = (await readdir(directory))
    .map((name) => JOURNAL.exec(name)?.[1])
    .filter(Boolean)
    .map(Number);
  return generations.length > 0 ? Math.min(...generations) : 0;
};
