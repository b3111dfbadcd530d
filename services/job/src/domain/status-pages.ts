import { ConcurrencyConflictError, type RecordVersion, type StateStore } from '@sitter/ports';
import { newestFirst, type JobIndexEntry, type PagedIndexKeys } from './state';

/** Entries per `jobs-by-status` page unless the domain asks for another size. */
export const JOB_INDEX_PAGE_SIZE = 100;

/** New jobs land in this page; older pages get numbers as they split off it. */
export const NEWEST_PAGE = 'newest';

/**
 * `jobs-by-status:{status}:page:{page}`. The pages' key ranges tile the whole order without
 * overlap, so every (createdOn, id) belongs in exactly one page, and any change to a page's
 * range rewrites that page: a writer holding its ETag knows the range it checked still holds.
 */
export interface StatusPage {
  /** Lowest key the page may hold (inclusive); null on the oldest page. */
  from: JobIndexEntry | null;
  /** The page holds keys below this one; null on the newest page. */
  to: JobIndexEntry | null;
  /** Newest first, at most the page size. Only the newest page is ever empty. */
  entries: JobIndexEntry[];
}

/**
 * `jobs-by-status:{status}`: the pages newest first with the `from` of each (a page's `to` is
 * the `from` listed before it). Absent until the newest page first fills up.
 */
export interface StatusHead {
  pages: StatusHeadPage[];
  /** Page numbers are never reused, so a stale ETag never meets a re-created page. */
  nextPage: number;
}

export interface StatusHeadPage {
  page: string;
  from: JobIndexEntry | null;
}

/** A record as read (or as it starts out, before it exists), with what a write needs to be conditional on that read. */
export interface Versioned<T> extends RecordVersion {
  value: T;
}

export interface PageRead extends Versioned<StatusPage> {
  page: string;
}

const staleRead = (key: string) => new ConcurrencyConflictError([key]);

export const readHead = async (store: StateStore, keys: PagedIndexKeys): Promise<Versioned<StatusHead>> => {
  const key = keys.head;
  const entry = await store.get<StatusHead>(key);
  if (entry && !Array.isArray(entry.value.pages)) {
    throw new Error(`${key} holds the earlier single-record index; start from a fresh data directory`);
  }
  if (entry) return entry;
  return { key, value: { pages: [{ page: NEWEST_PAGE, from: null }], nextPage: 1 } };
};

/** A numbered page that is gone was merged away since the head was read: the caller starts over. */
export const readPage = async (store: StateStore, keys: PagedIndexKeys, page: string): Promise<PageRead> => {
  const key = keys.page(page);
  const entry = await store.get<StatusPage>(key);
  if (entry) return { ...entry, page };
  if (page !== NEWEST_PAGE) throw staleRead(key);
  return { key, page, value: { from: null, to: null, entries: [] } };
};

/** Whether `key` belongs in the page. */
export const holdsKey = (page: StatusPage, key: JobIndexEntry): boolean =>
  (page.from === null || newestFirst(key, page.from) <= 0) && (page.to === null || newestFirst(key, page.to) > 0);

/**
 * Whether the entries just older than `position` start in this page; a null position stands
 * above the newest job.
 */
export const holdsEntriesBelow = (page: StatusPage, position: JobIndexEntry | null): boolean => {
  if (position === null) return page.to === null;
  return (
    (page.from === null || newestFirst(page.from, position) > 0) &&
    (page.to === null || newestFirst(position, page.to) >= 0)
  );
};

/** The page the head says `key` belongs in. */
export const pageForKey = (head: StatusHead, key: JobIndexEntry): string =>
  head.pages.find((page) => page.from === null || newestFirst(key, page.from) <= 0)?.page ?? NEWEST_PAGE;

/** The page the head says the entries just older than `position` start in. */
export const pageBelow = (head: StatusHead, position: JobIndexEntry | null): string | undefined =>
  position === null
    ? head.pages[0]?.page
    : head.pages.find((page) => page.from === null || newestFirst(page.from, position) > 0)?.page;

/** Reads the page the head names for `key` and makes sure the page itself agrees. */
export const readPageForKey = async (
  store: StateStore,
  keys: PagedIndexKeys,
  head: StatusHead,
  key: JobIndexEntry,
): Promise<PageRead> => {
  const read = await readPage(store, keys, pageForKey(head, key));
  if (!holdsKey(read.value, key)) throw staleRead(read.key);
  return read;
};

/** Just the ordering fields, whatever else an entry might carry. */
export const keyOf = (entry: JobIndexEntry): JobIndexEntry => ({ id: entry.id, createdOn: entry.createdOn });

export const sameKey = (a: JobIndexEntry | null, b: JobIndexEntry | null): boolean =>
  a === null || b === null ? a === b : a.id === b.id && a.createdOn === b.createdOn;
