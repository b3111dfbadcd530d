import { open, type FileHandle } from 'node:fs/promises';

interface PendingLine {
  kind: 'line';
  text: string;
  resolve: () => void;
  reject: (error: Error) => void;
}

interface PendingRotation {
  kind: 'rotate';
  path: string;
  resolve: () => void;
  reject: (error: Error) => void;
}

export interface JournalWriterOptions {
  /** fsync after every batch: survives power loss, not just a process crash. Costs a disk flush per batch. */
  fsync?: boolean;
}

/**
 * Appends lines to a journal file with group commit: lines handed over while a write is
 * under way all go out together with the next write, so many concurrent writers cost one
 * appendFile instead of one each. Each line's promise resolves once its batch is written.
 *
 * After a failed write the file may end in a partial line, so the writer refuses everything
 * from then on rather than append behind it.
 */
export class JournalWriter {
  private queue: Array<PendingLine | PendingRotation> = [];
  private flushing?: Promise<void>;
  private failure?: Error;
  private closed = false;
  private batches = 0;

  private constructor(
    private handle: FileHandle,
    private readonly options: JournalWriterOptions,
  ) {}

  static async open(path: string, options: JournalWriterOptions = {}): Promise<JournalWriter> {
    return new JournalWriter(await open(path, 'a'), options);
  }

  /** Number of appendFile calls so far. */
  get batchesWritten(): number {
    return this.batches;
  }

  /** Throws (synchronously) when the writer can no longer take lines. */
  assertWritable(): void {
    if (this.failure) throw new Error('journal write failed earlier; refusing further writes', { cause: this.failure });
    if (this.closed) throw new Error('journal is closed');
  }

  /** `text` must not contain a newline (JSON.stringify output never does). */
  append(text: string): Promise<void> {
    this.assertWritable();
    return new Promise((resolve, reject) => {
      this.queue.push({ kind: 'line', text, resolve, reject });
      this.schedule();
    });
  }

  /** Lines appended after this call go to `path`; lines appended before still go to the current file. */
  rotate(path: string): Promise<void> {
    this.assertWritable();
    return new Promise((resolve, reject) => {
      this.queue.push({ kind: 'rotate', path, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once everything appended so far has been written (or has failed). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flush();
    await this.handle.close();
  }

  private schedule(): void {
    if (this.flushing) return;
    // Waiting one turn of the event loop lets every writer that is ready join the first batch.
    this.flushing = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.drain())
      .finally(() => {
        this.flushing = undefined;
        if (this.queue.length > 0) this.schedule();
      });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const items = this.queue;
      this.queue = [];
      let batch: PendingLine[] = [];
      for (const item of items) {
        if (item.kind === 'line') {
          batch.push(item);
          continue;
        }
        await this.write(batch);
        batch = [];
        await this.switchTo(item);
      }
      await this.write(batch);
    }
  }

  private async write(batch: PendingLine[]): Promise<void> {
    if (batch.length === 0) return;
    try {
      if (this.failure) throw this.failure;
      await this.handle.appendFile(batch.map((line) => `${line.text}\n`).join(''));
      if (this.options.fsync) await this.handle.datasync();
      this.batches += 1;
    } catch (error) {
      this.failure ??= asError(error);
      for (const line of batch) line.reject(this.failure);
      return;
    }
    for (const line of batch) line.resolve();
  }

  private async switchTo(rotation: PendingRotation): Promise<void> {
    try {
      if (this.failure) throw this.failure;
      const next = await open(rotation.path, 'a');
      const previous = this.handle;
      this.handle = next;
      if (this.options.fsync) await previous.sync();
      await previous.close();
    } catch (error) {
      this.failure ??= asError(error);
      rotation.reject(this.failure);
      return;
    }
    rotation.resolve();
  }
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
