import { pageCursor } from '@sitter/ports';
import type { JobIndexEntry } from './state';

const jobCursor = pageCursor('createdOn');

export const encodeCursor = (entry: JobIndexEntry): string => jobCursor.encode(entry);
export const decodeCursor = (cursor: string): JobIndexEntry => jobCursor.decode(cursor);
