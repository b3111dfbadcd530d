import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { JournalWriter } from './journal-writer';
import { readJournal, type TornTail } from './journal-reader';
import { sealLine } from './sealed-line';
import { SEALED_SNAPSHOT_FORMAT, readSnapshot, writeSnapshot } from './snapshot-file';

export interface CompactionPolicy {
  /** Compact only once the journal has more lines than this ... */
  minJournalLines: number;
  /** ... and more than this many lines per live record. */
  linesPerLiveRecord: number;
}

export const defaultCompactionPolicy: CompactionPolicy = { minJournalLines: 10_000, linesPerLiveRecord: 2 };

export interface AppendLogOptions {
  /** fsync every journal batch (survives power loss); off by default: a process crash loses nothing either way. */
  fsync?: boolean;
  compaction?: CompactionPolicy;
  /** Background compaction has nobody to throw to; failures are reported here. */
  onError?: (error: Error) => void;
  /** A journal ended in a line torn by a crash (never acknowledged): told before it is cut off. */
  onTornTail?: (torn: TornTail) => void;
}

/** What the log's owner provides so that the log can compact itself. */
export interface LogOwner {
  /** Records that rebuild the current state, captured now: later changes must not show up in them. */
  capture(): Iterable<unknown>;
  /** How many records a snapshot would hold now. */
  liveRecords(): number;
}

export interface AppendLogStats {
  /** Lines in the journal since the last snapshot. */
  journalLines: number;
  /** appendFile calls made by this instance. */
  batches: number;
  compactions: number;
}

interface SnapshotHeader {
  format: number;
  /** The first journal generation not contained in the snapshot. */
  journal: number;
}

export const SNAPSHOT = 'snapshot.jsonl';
export const JOURNAL = /^journal-(\d+)\.jsonl$/;
export const journalName = (generation: number) => `journal-${String(generation).padStart(6, '0')}.jsonl`;

/**
 * A directory holding state as a snapshot plus append-only journals of JSON lines.
 *
 * Compaction never blocks a write: it switches appends to a new journal generation, writes
 * the captured state as a new snapshot (temp file, fsync, rename), then deletes the journals
 * the snapshot covers. A crash at any step leaves either the old snapshot with every journal
 * still present, or the new snapshot; loading replays the journals the snapshot does not cover.
 *
 * Every line carries a checksum (sealed-line.ts); a damaged one stops `open` naming the file and the line. A
 * directory written before checksums (no snapshot, or a format 1 one) is read as it is, and `attach` then writes a
 * sealed snapshot at once, so from then on every line it holds is verified.
 */
export class AppendLog {
  private owner?: LogOwner;
  private compacting?: Promise<void>;
  private checkScheduled = false;
  private compactions = 0;

  private constructor(
    private readonly directory: string,
    private readonly writer: JournalWriter,
    private generation: number,
    private journalLines: number,
    private readonly options: AppendLogOptions,
    /** No sealed snapshot yet: `attach` writes one. */
    private sealedSnapshotDue: boolean,
  ) {}

  /** Replays the snapshot and the journals into `replay`, then opens the newest journal for appending. */
  static async open(
    directory: string,
    replay: (record: unknown) => void,
    options: AppendLogOptions = {},
  ): Promise<AppendLog> {
    await mkdir(directory, { recursive: true });
    await rm(join(directory, `${SNAPSHOT}.tmp`), { force: true });
    const snapshot = await readSnapshot<SnapshotHeader>(join(directory, SNAPSHOT), replay);
    const header = snapshot?.header;
    if (snapshot && header?.format !== (snapshot.unsealed ? 1 : SEALED_SNAPSHOT_FORMAT))
      throw new Error(`${join(directory, SNAPSHOT)}: unknown snapshot format ${String(header?.format)}`);
    // Journals may hold unsealed lines only until the first sealed snapshot: every journal after it is sealed.
    const allowUnsealed = !snapshot || snapshot.unsealed;
    const firstGeneration = header?.journal ?? 0;
    const generations = (await readdir(directory))
      .map((name) => JOURNAL.exec(name)?.[1])
      .filter((generation): generation is string => generation !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    let journalLines = 0;
    for (const generation of generations) {
      const path = join(directory, journalName(generation));
      // Left over when a crash came between committing a snapshot and deleting what it covers.
      if (generation < firstGeneration) await rm(path, { force: true });
      else {
        const read = await readJournal(path, replay, {
          allowUnsealed,
          truncateTorn: true,
          onTorn: options.onTornTail,
        });
        journalLines += read.lines;
      }
    }
    const current = Math.max(firstGeneration, ...generations);
    const writer = await JournalWriter.open(join(directory, journalName(current)), { fsync: options.fsync });
    return new AppendLog(directory, writer, current, journalLines, options, allowUnsealed);
  }

  /**
   * Enables background compaction, judged by the owner's live record count. In a directory without a sealed
   * snapshot (new, or written before checksums) it first writes one, so that unsealed lines are never accepted again.
   */
  async attach(owner: LogOwner): Promise<void> {
    this.owner = owner;
    if (this.sealedSnapshotDue) {
      try {
        await this.compact();
      } catch (error) {
        await this.close();
        throw error;
      }
      this.sealedSnapshotDue = false;
    }
    this.scheduleCompactionCheck();
  }

  /** Throws synchronously when the log cannot take the record; resolves once it is on disk. */
  append(record: unknown): Promise<void> {
    const written = this.writer.append(sealLine(JSON.stringify(record)));
    this.journalLines += 1;
    this.scheduleCompactionCheck();
    return written;
  }

  /** Compacts now, or waits for the compaction under way. */
  compact(): Promise<void> {
    if (this.compacting) return this.compacting;
    const owner = this.owner;
    if (!owner) return Promise.reject(new Error('nothing attached to the log to compact'));
    const generation = this.generation + 1;
    // Capture and rotation happen in the same synchronous step: the snapshot holds exactly
    // the changes appended before the new journal generation starts.
    let rotated: Promise<void>;
    try {
      rotated = this.writer.rotate(join(this.directory, journalName(generation)));
    } catch (error) {
      return Promise.reject(error);
    }
    const records = owner.capture();
    const covered = this.journalLines;
    this.generation = generation;
    this.journalLines = 0;
    this.compacting = (async () => {
      try {
        await rotated;
        await writeSnapshot(
          join(this.directory, SNAPSHOT),
          { format: SEALED_SNAPSHOT_FORMAT, journal: generation },
          records,
        );
        await this.removeJournalsBefore(generation);
        this.compactions += 1;
      } catch (error) {
        // The covered journals are all still there, so nothing is lost; try again later.
        this.journalLines += covered;
        throw error;
      } finally {
        this.compacting = undefined;
      }
    })();
    return this.compacting;
  }

  stats(): AppendLogStats {
    return { journalLines: this.journalLines, batches: this.writer.batchesWritten, compactions: this.compactions };
  }

  /** Resolves when every appended record is written and no compaction is running. */
  async idle(): Promise<void> {
    do {
      if (this.checkScheduled) await new Promise((resolve) => setImmediate(resolve));
      await this.compacting?.catch(() => undefined);
      await this.writer.flush();
    } while (this.compacting || this.checkScheduled);
  }

  async close(): Promise<void> {
    this.owner = undefined;
    await this.compacting?.catch(() => undefined);
    await this.writer.close();
  }

  private scheduleCompactionCheck(): void {
    if (this.checkScheduled || this.compacting || !this.owner || !this.compactionDue(this.owner)) return;
    this.checkScheduled = true;
    setImmediate(() => {
      this.checkScheduled = false;
      if (this.compacting || !this.owner || !this.compactionDue(this.owner)) return;
      this.compact().then(
        () => this.scheduleCompactionCheck(),
        (error: unknown) => this.options.onError?.(error instanceof Error ? error : new Error(String(error))),
      );
    });
  }

  private compactionDue(owner: LogOwner): boolean {
    const policy = this.options.compaction ?? defaultCompactionPolicy;
    return (
      this.journalLines > policy.minJournalLines && this.journalLines > policy.linesPerLiveRecord * owner.liveRecords()
    );
  }

  private async removeJournalsBefore(generation: number): Promise<void> {
    for (const name of await readdir(this.directory)) {
      const match = JOURNAL.exec(name);
      if (match && Number(match[1]) < generation) await rm(join(this.directory, name), { force: true });
    }
  }
}
