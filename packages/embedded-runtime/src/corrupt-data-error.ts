/** A persisted file failed verification: the runtime refuses to start on it rather than serve a silently changed state. */
export class CorruptDataError extends Error {
  constructor(
    readonly file: string,
    /** 1-based; the line at fault. */
    readonly line: number,
    readonly problem: string,
  ) {
    super(
      `${file}: line ${line} ${problem}; the file is corrupt, so nothing was started. ` +
        'Run `npm run data:check` (with the same DATA_DIR) to list every damaged line, then `npm run data:repair` ' +
        'to set them aside (it keeps a copy of everything it drops), or restore the data directory from a backup.',
    );
    this.name = 'CorruptDataError';
  }
}
