import { conditionalDelete, conditionalUpsert, readRecord } from '@sitter/ports';
import type { StateStore, TransactionOperation } from '@sitter/ports';
import type { BookingStatus } from './booking';

/**
 * A customer's bookings per status, newest first, kept in one page per month of creation plus a
 * head record naming the months that have any. A page holds what one parent books in a month, so
 * no record grows without bound, and paging reads only the pages it shows.
 */
export interface IndexEntry {
  id: string;
  createdAt: string;
}

interface HeadRecord {
  /** "YYYY-MM", newest first; only months with entries. */
  months: string[];
}

interface PageRecord {
  entries: IndexEntry[];
}

const headKey = (customer: string, status: BookingStatus) =>
  `bookings-by-customer:${encodeURIComponent(customer)}:${status}`;
const pageKey = (customer: string, status: BookingStatus, month: string) => `${headKey(customer, status)}:${month}`;
const monthOf = (createdAt: string) => createdAt.slice(0, 7);

const descending = (a: string, b: string): number => (a < b ? 1 : a > b ? -1 : 0);

/** Newest first; the id breaks ties between bookings created in the same millisecond. */
export const newestFirst = (a: IndexEntry, b: IndexEntry): number =>
  a.createdAt === b.createdAt ? descending(a.id, b.id) : descending(a.createdAt, b.createdAt);

/** The writes, conditional on what was read, that add `entry` to or remove it from `customer`'s `status` index. */
type IndexChange = (
  store: StateStore,
  customer: string,
  status: BookingStatus,
  entry: IndexEntry,
) => Promise<TransactionOperation[]>;

/** The page of `entry`'s month, as read for a conditional write, and that month. */
const readMonthPage = async (store: StateStore, customer: string, status: BookingStatus, entry: IndexEntry) => {
  const month = monthOf(entry.createdAt);
  return { month, page: await readRecord<PageRecord>(store, pageKey(customer, status, month)) };
};

export const indexAdd: IndexChange = async (store, customer, status, entry) => {
  const { month, page } = await readMonthPage(store, customer, status, entry);
  const entries = (page.value?.entries ?? []).filter((existing) => existing.id !== entry.id);
  const operations = [conditionalUpsert(page, { entries: [...entries, entry].sort(newestFirst) })];
  const head = await readRecord<HeadRecord>(store, headKey(customer, status));
  const months = head.value?.months ?? [];
  if (!months.includes(month))
    operations.push(conditionalUpsert(head, { months: [...months, month].sort(descending) }));
  return operations;
};

export const indexRemove: IndexChange = async (store, customer, status, entry) => {
  const { month, page } = await readMonthPage(store, customer, status, entry);
  const entries = page.value?.entries ?? [];
  const remaining = entries.filter((existing) => existing.id !== entry.id);
  if (remaining.length === entries.length) return [];
  if (remaining.length > 0) return [conditionalUpsert(page, { entries: remaining })];
  const head = await readRecord<HeadRecord>(store, headKey(customer, status));
  const months = (head.value?.months ?? []).filter((other) => other !== month);
  return [conditionalDelete(page), months.length > 0 ? conditionalUpsert(head, { months }) : conditionalDelete(head)];
};

/**
 * Up to `limit` entries after `after` (exclusive) and newer than `above` (exclusive; no bound when absent), and
 * whether more follow. Months older than `above`'s are not read.
 */
export const indexPage = async (
  store: StateStore,
  customer: string,
  status: BookingStatus,
  limit: number,
  after?: IndexEntry,
  above?: IndexEntry,
): Promise<{ entries: IndexEntry[]; more: boolean }> => {
  const head = await store.get<HeadRecord>(headKey(customer, status));
  const months = (head?.value.months ?? [])
    .filter((month) => !after || month <= monthOf(after.createdAt))
    .filter((month) => !above || month >= monthOf(above.createdAt));
  const found: IndexEntry[] = [];
  for (const month of months) {
    const page = await store.get<PageRecord>(pageKey(customer, status, month));
    const entries = (page?.value.entries ?? []).filter(
      (entry) => (!after || newestFirst(after, entry) < 0) && (!above || newestFirst(entry, above) < 0),
    );
    found.push(...entries);
    if (found.length > limit) break;
  }
  return { entries: found.slice(0, limit), more: found.length > limit };
};
