import { z } from 'zod';
import { badInput } from '@sitter/ports';
import type { IndexEntry } from './customer-index';

/** A cursor names the last booking a page showed, so bookings made meanwhile do not shift the next page. */
const cursorSchema = z.object({ createdAt: z.string().min(1), id: z.string().min(1) });

export const encodeCursor = (entry: IndexEntry): string =>
  Buffer.from(JSON.stringify({ createdAt: entry.createdAt, id: entry.id }), 'utf8').toString('base64url');

export const decodeCursor = (cursor: string): IndexEntry => {
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
