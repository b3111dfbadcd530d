import { z } from 'zod';
import { badInput } from '@sitter/ports';
import type { JobIndexEntry } from './state';

/**
 * A page cursor names the last job a page showed (its createdOn and id), not a position,
 * so jobs posted while a client pages through do not shift what the next page shows.
 */
const cursorSchema = z.object({ createdOn: z.string().min(1), id: z.string().min(1) });

export const encodeCursor = (entry: JobIndexEntry): string =>
  Buffer.from(JSON.stringify({ createdOn: entry.createdOn, id: entry.id }), 'utf8').toString('base64url');

export const decodeCursor = (cursor: string): JobIndexEntry => {
  const invalid = badInput('afterCursor', 'afterCursor is not a cursor this service issued');
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid;
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // not JSON: reported below like any other malformed cursor
  }
  throw invalid;
};
