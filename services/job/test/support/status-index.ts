import type { StateStore } from '@sitter/ports';
import { Keys, NEWEST_PAGE, type JobStatus, type StatusHead, type StatusPage } from '../../src/domain';

type Key = StatusPage['entries'][number];

const newer = (a: Key, b: Key) => (a.createdOn === b.createdOn ? a.id > b.id : a.createdOn > b.createdOn);
const same = (a: Key | null, b: Key | null) =>
  a === null || b === null ? a === b : a.id === b.id && a.createdOn === b.createdOn;

export interface StoredIndex {
  /** Every entry, page after page, newest page first. */
  entries: Key[];
  /** Page names, newest first, with their entry counts. */
  pages: Array<{ page: string; size: number }>;
}

/**
 * Reads a jobs-by-status index straight from the store and fails on any broken promise of
 * its layout: pages tile the order, sit in it, are sorted, bounded and (but the newest) not empty.
 */
export const storedIndex = async (store: StateStore, status: JobStatus, pageSize = 100): Promise<StoredIndex> => {
  const head = (await store.get<StatusHead>(Keys.jobsByStatus(status)))?.value ?? {
    pages: [{ page: NEWEST_PAGE, from: null }],
    nextPage: 1,
  };
  const problems: string[] = [];
  const result: StoredIndex = { entries: [], pages: [] };
  let expectedTo: Key | null = null;
  for (const [index, { page, from }] of head.pages.entries()) {
    const stored = (await store.get<StatusPage>(Keys.jobsByStatusPage(status, page)))?.value;
    const value = stored ?? (page === NEWEST_PAGE ? { from: null, to: null, entries: [] } : undefined);
    if (!value) {
      problems.push(`page ${page} is listed but missing`);
      continue;
    }
    if ((index === 0) !== (page === NEWEST_PAGE)) problems.push(`page ${page} is out of place`);
    if (!same(value.from, from)) problems.push(`page ${page} starts elsewhere than the head says`);
    if (!same(value.to, expectedTo)) problems.push(`page ${page} does not end where the newer page starts`);
    if (value.entries.length > pageSize) problems.push(`page ${page} holds ${value.entries.length} entries`);
    if (page !== NEWEST_PAGE && value.entries.length === 0) problems.push(`page ${page} is empty`);
    for (const entry of value.entries) {
      if (value.from !== null && newer(value.from, entry)) problems.push(`${entry.id} is below page ${page}`);
      if (value.to !== null && !newer(value.to, entry)) problems.push(`${entry.id} is above page ${page}`);
    }
    value.entries.forEach((entry, at) => {
      if (at > 0 && !newer(value.entries[at - 1], entry)) problems.push(`page ${page} is out of order at ${entry.id}`);
    });
    result.entries.push(...value.entries);
    result.pages.push({ page, size: value.entries.length });
    expectedTo = value.from;
  }
  if (expectedTo !== null) problems.push('the oldest page has a lower limit');
  if (problems.length > 0) throw new Error(`jobs-by-status:${status} is broken:\n${problems.join('\n')}`);
  return result;
};

export const storedIds = async (store: StateStore, status: JobStatus, pageSize?: number): Promise<string[]> =>
  (await storedIndex(store, status, pageSize)).entries.map((entry) => entry.id);
