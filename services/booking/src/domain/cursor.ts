import { pageCursor } from '@sitter/ports';
import type { IndexEntry } from './customer-index';

const bookingCursor = pageCursor('createdAt');

export const encodeCursor = (entry: IndexEntry): string => bookingCursor.encode(entry);
export const decodeCursor = (cursor: string): IndexEntry => bookingCursor.decode(cursor);
