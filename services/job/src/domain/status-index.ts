import { ConcurrencyConflictError, type TransactionOperation, conditionalUpsert } from '@sitter/ports';
import type { JobDomain } from './context';
import type { JobStatus } from './model';
import { newestFirst, statusIndexKeys, type JobIndexEntry, type PagedIndexKeys } from './state';
import {
  JOB_INDEX_PAGE_SIZE,
  NEWEST_PAGE,
  holdsEntriesBelow,
  holdsKey,
  keyOf,
  pageBelow,
  readHead,
  readPage,
  readPageForKey,
  sameKey,
  type PageRead,
  type StatusHead,
  type Versioned,
} from './status-pages';

/**
 * The jobs of one status, newest first, kept in bounded pages (see status-pages.ts). Changes
 * come back as transaction operations, each conditional on what was read, for the caller to
 * commit together with the job record itself.
 */
export interface StatusIndex {
  insert(entry: JobIndexEntry): Promise<TransactionOperation[]>;
  remove(entry: JobIndexEntry): Promise<TransactionOperation[]>;
  /**
   * Up to `limit` entries older than `after` (all when absent) and newer than `above` (no bound when absent), and
   * whether more follow. The walk stops at the first page that starts at or below `above`.
   */
  list(
    after: JobIndexEntry | undefined,
    limit: number,
    above?: JobIndexEntry,
  ): Promise<{ entries: JobIndexEntry[]; more: boolean }>;
  /**
   * The other way: up to `limit` entries newer than `after` (from the oldest when absent) and older than `below`
   * (no bound when absent), oldest first, and whether more follow.
   */
  listUp(
    after: JobIndexEntry | undefined,
    limit: number,
    below?: JobIndexEntry,
  ): Promise<{ entries: JobIndexEntry[]; more: boolean }>;
}

interface Located {
  target: PageRead;
  /** Set when it had to be read to find the page. */
  head?: Versioned<StatusHead>;
}

export const statusIndex = (domain: Pick<JobDomain, 'store' | 'jobIndexPageSize'>, status: JobStatus): StatusIndex =>
  pagedIndex(domain, statusIndexKeys(status));

/** The same bounded pages under other keys (the nearby index keeps one per grid cell). */
export const pagedIndex = (
  domain: Pick<JobDomain, 'store' | 'jobIndexPageSize'>,
  keys: PagedIndexKeys,
): StatusIndex => {
  const { store } = domain;
  const pageSize = domain.jobIndexPageSize ?? JOB_INDEX_PAGE_SIZE;

  /** Most keys belong in the newest page, which then is the only index record read. */
  const locate = async (key: JobIndexEntry): Promise<Located> => {
    const newest = await readPage(store, keys, NEWEST_PAGE);
    if (holdsKey(newest.value, key)) return { target: newest };
    const head = await readHead(store, keys);
    return { target: await readPageForKey(store, keys, head.value, key), head };
  };

  const insert = async (entry: JobIndexEntry): Promise<TransactionOperation[]> => {
    const added = keyOf(entry);
    const { target, head } = await locate(added);
    const entries = [...target.value.entries.filter((other) => other.id !== added.id), added].sort(newestFirst);
    if (entries.length <= pageSize) return [conditionalUpsert(target, { ...target.value, entries })];
    // A job newer than everything in the full newest page opens a fresh newest page, so pages
    // stay full while jobs arrive in order; any other overflow splits the page in halves.
    const keep = target.page === NEWEST_PAGE && entries[0].id === added.id ? 1 : Math.ceil(entries.length / 2);
    return split(head ?? (await readHead(store, keys)), target, entries, keep);
  };

  /** The page keeps its newer entries; a new page takes the older ones and the lower part of the range. */
  const split = (
    head: Versioned<StatusHead>,
    target: PageRead,
    entries: JobIndexEntry[],
    keep: number,
  ): TransactionOperation[] => {
    const at = head.value.pages.findIndex((page) => page.page === target.page);
    if (at < 0) throw new ConcurrencyConflictError([head.key]);
    const boundary = entries[keep - 1];
    const opened = String(head.value.nextPage);
    const pages = [...head.value.pages];
    pages.splice(at, 1, { page: target.page, from: boundary }, { page: opened, from: target.value.from });
    return [
      conditionalUpsert(target, { from: boundary, to: target.value.to, entries: entries.slice(0, keep) }),
      {
        operation: 'upsert',
        key: keys.page(opened),
        value: { from: target.value.from, to: boundary, entries: entries.slice(keep) },
        onlyIfAbsent: true,
      },
      conditionalUpsert(head, { pages, nextPage: head.value.nextPage + 1 }),
    ];
  };

  const remove = async (entry: JobIndexEntry): Promise<TransactionOperation[]> => {
    const { target, head } = await locate(keyOf(entry));
    if (!target.value.entries.some((other) => other.id === entry.id)) return [];
    const entries = target.value.entries.filter((other) => other.id !== entry.id);
    if (entries.length > 0 || target.page === NEWEST_PAGE)
      return [conditionalUpsert(target, { ...target.value, entries })];
    return dropEmptied(head ?? (await readHead(store, keys)), target);
  };

  /** An emptied page goes; the next newer page (there always is one) extends down over its range. */
  const dropEmptied = async (head: Versioned<StatusHead>, emptied: PageRead): Promise<TransactionOperation[]> => {
    const at = head.value.pages.findIndex((page) => page.page === emptied.page);
    if (at < 1) throw new ConcurrencyConflictError([head.key]);
    const newer = await readPage(store, keys, head.value.pages[at - 1].page);
    if (!sameKey(newer.value.from, emptied.value.to)) throw new ConcurrencyConflictError([newer.key]);
    const pages = head.value.pages.flatMap((page, index) => {
      if (index === at) return [];
      return index === at - 1 ? [{ page: page.page, from: emptied.value.from }] : [page];
    });
    return [
      { operation: 'delete', key: emptied.key, etag: emptied.etag },
      conditionalUpsert(newer, { ...newer.value, from: emptied.value.from }),
      conditionalUpsert(head, { ...head.value, pages }),
    ];
  };

  /**
   * Walks pages from the one holding the cursor towards older ones. Each page is checked to
   * hold the range the previous one ended at, so a page split or merged while the walk runs
   * cannot make it skip or repeat entries: it starts over instead.
   */
  const list = async (after: JobIndexEntry | undefined, limit: number, above?: JobIndexEntry) => {
    let position = after ?? null;
    const found: JobIndexEntry[] = [];
    let head: StatusHead | undefined;
    let page = await readPage(store, keys, NEWEST_PAGE);
    for (;;) {
      if (!holdsEntriesBelow(page.value, position)) {
        head ??= (await readHead(store, keys)).value;
        const next = pageBelow(head, position);
        if (next === undefined) throw new ConcurrencyConflictError([keys.head]);
        page = await readPage(store, keys, next);
        if (!holdsEntriesBelow(page.value, position)) throw new ConcurrencyConflictError([page.key]);
      }
      const below = position;
      found.push(
        ...page.value.entries.filter(
          (entry) => (below === null || newestFirst(entry, below) > 0) && (!above || newestFirst(entry, above) < 0),
        ),
      );
      if (found.length > limit || page.value.from === null) break;
      if (above && newestFirst(page.value.from, above) >= 0) break;
      position = page.value.from;
    }
    return { entries: found.slice(0, limit), more: found.length > limit };
  };

  /**
   * Walks pages from the one holding `after` towards newer ones, in the order the head lists them. Each page must
   * have the range the head gives it (its `from`, and as `to` the next newer page's `from`), so a split or merge
   * since the head was read makes the walk start over instead of skipping or repeating entries.
   */
  const listUp = async (after: JobIndexEntry | undefined, limit: number, below?: JobIndexEntry) => {
    const head = await readHead(store, keys);
    const pages = head.value.pages;
    let at =
      after === undefined
        ? pages.length - 1
        : pages.findIndex((page) => page.from === null || newestFirst(after, page.from) <= 0);
    const found: JobIndexEntry[] = [];
    for (; at >= 0; at -= 1) {
      const page = await readPage(store, keys, pages[at].page);
      const newerFrom = at > 0 ? pages[at - 1].from : null;
      if (!sameKey(page.value.from, pages[at].from) || !sameKey(page.value.to, newerFrom)) {
        throw new ConcurrencyConflictError([page.key]);
      }
      const inside = page.value.entries.filter(
        (entry) =>
          (after === undefined || newestFirst(entry, after) < 0) &&
          (below === undefined || newestFirst(entry, below) > 0),
      );
      found.push(...inside.reverse());
      if (found.length > limit) break;
      if (below && page.value.to !== null && newestFirst(page.value.to, below) <= 0) break;
    }
    return { entries: found.slice(0, limit), more: found.length > limit };
  };

  return { insert, remove, list, listUp };
};
