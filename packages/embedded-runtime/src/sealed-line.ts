import { crc32 } from 'node:zlib';

/**
 * One persisted record per line, sealed with the CRC-32 of its JSON: `<8 hex digits> <json>`. A changed byte that
 * keeps the JSON valid still changes the checksum, so it is found when the line is read.
 *
 * Lines written before checksums existed are bare JSON (`{...}`); they are read only where the reader allows it
 * (a directory not yet migrated, see AppendLog).
 */
export const sealLine = (json: string): string => `${checksum(json)} ${json}`;

export type OpenedLine = { record: unknown; sealed: boolean } | { problem: string };

const SEALED = /^([0-9a-f]{8}) /;

export const openLine = (line: string, options: { allowUnsealed: boolean }): OpenedLine => {
  const sealed = SEALED.exec(line);
  if (!sealed && !options.allowUnsealed) return { problem: 'has no checksum' };
  const json = sealed ? line.slice(9) : line;
  if (sealed && checksum(json) !== sealed[1]) return { problem: 'does not match its checksum' };
  try {
    return { record: JSON.parse(json) as unknown, sealed: sealed !== null };
  } catch {
    return { problem: 'is not valid JSON' };
  }
};

const checksum = (json: string): string => crc32(json).toString(16).padStart(8, '0');
