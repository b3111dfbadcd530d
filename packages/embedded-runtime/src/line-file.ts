import { open } from 'node:fs/promises';

/** Bytes read at a time; only tests pass a smaller chunk. */
export const DEFAULT_CHUNK_BYTES = 1 << 20;

export interface LineFileOptions {
  chunkBytes?: number;
}

export interface LineFileEnd {
  /** Bytes up to and including the last newline. */
  validBytes: number;
  /** What follows the last newline: empty when the file ends in one. */
  tail: Buffer;
}

/**
 * Calls `onLine` with every newline-terminated line of a file (without its newline), reading it a chunk at a time:
 * a whole snapshot or journal may be longer than the longest string V8 can build (2^29 − 24 characters), a line is
 * not. Lines are cut at the newline byte before they are decoded, so a character split across two chunks is decoded
 * whole. When `onLine` throws, reading stops and the error is thrown.
 */
export const forEachLine = async (
  path: string,
  onLine: (line: string) => void,
  options: LineFileOptions = {},
): Promise<LineFileEnd> => {
  const file = await open(path, 'r');
  const stream = file.createReadStream({ highWaterMark: options.chunkBytes ?? DEFAULT_CHUNK_BYTES });
  let pending: Buffer[] = [];
  let offset = 0;
  let validBytes = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    for (let end = chunk.indexOf(0x0a); end !== -1; start = end + 1, end = chunk.indexOf(0x0a, start)) {
      const piece = chunk.subarray(start, end);
      const line = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
      pending = [];
      validBytes = offset + end + 1;
      onLine(line.toString('utf8'));
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
    offset += chunk.length;
  }
  return { validBytes, tail: Buffer.concat(pending) };
};
