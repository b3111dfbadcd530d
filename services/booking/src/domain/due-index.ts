import { conditionalDelete, conditionalUpsert, readRecord } from '@sitter/ports';
import { createHash } from 'node:crypto';
import type { StateStore, TransactionOperation } from '@sitter/ports';

/**
 * Bookings the scheduler must look at, with when. Only unsettled bookings are listed (a few
 * minutes' worth of traffic), spread over buckets so concurrent bookings rarely write the same record.
 */
export const DUE_BUCKETS = 16;

export interface DueEntry {
  id: string;
  /** ISO-8601. */
  dueAt: string;
}

interface DueRecord {
  entries: DueEntry[];
}

export const dueBucketKey = (bucket: number): string => `bookings-due:${bucket}`;

export const dueBucketOf = (bookingId: string): number =>
  createHash('sha1').update(bookingId).digest().readUInt32BE(0) % DUE_BUCKETS;

/** The write that lists the booking as due at `dueAt`, or unlists it (undefined); none if unchanged. */
export const dueIndexWrite = async (
  store: StateStore,
  bookingId: string,
  dueAt: string | undefined,
): Promise<TransactionOperation | undefined> => {
  const read = await readRecord<DueRecord>(store, dueBucketKey(dueBucketOf(bookingId)));
  const entries = read.value?.entries ?? [];
  const current = entries.find((entry) => entry.id === bookingId);
  if (current?.dueAt === dueAt) return undefined;
  const others = entries.filter((entry) => entry.id !== bookingId);
  const next = dueAt === undefined ? others : [...others, { id: bookingId, dueAt }];
  if (next.length === 0) return read.etag === undefined ? undefined : conditionalDelete(read);
  return conditionalUpsert(read, { entries: next });
};

/** The bookings one bucket lists: every one, or only those due by `now`, soonest first. */
export const listDueIn = async (store: StateStore, bucket: number, now?: Date): Promise<DueEntry[]> => {
  const read = await readRecord<DueRecord>(store, dueBucketKey(bucket));
  const all = read.value?.entries ?? [];
  const due = now === undefined ? all : all.filter((entry) => entry.dueAt <= now.toISOString());
  return due.sort((a, b) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : 0));
};
