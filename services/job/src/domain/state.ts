import { conditionalUpsert, type RecordVersion, type StateStore, type TransactionOperation } from '@sitter/ports';
import type { JobStatus } from './model';

export const Keys = {
  job: (id: string) => `job:${id}`,
  application: (id: string) => `application:${id}`,
  jobsByStatus: (status: JobStatus) => `jobs-by-status:${status}`,
  jobsByStatusPage: (status: JobStatus, page: string) => `jobs-by-status:${status}:page:${page}`,
  applicationsByJob: (jobId: string) => `applications-by-job:${jobId}`,
  applicationsByNanny: (username: string) => `applications-by-nanny:${username}`,
  /** The OPEN jobs in one cell of geo-cells.ts' grid: a paged index like jobs-by-status. */
  jobsNear: (cell: string) => `jobs-near:${cell}`,
  jobsNearPage: (cell: string, page: string) => `jobs-near:${cell}:page:${page}`,
};

/** The records of one paged index (status-pages.ts): its head and its pages. */
export interface PagedIndexKeys {
  head: string;
  page: (page: string) => string;
}

export const statusIndexKeys = (status: JobStatus): PagedIndexKeys => ({
  head: Keys.jobsByStatus(status),
  page: (page) => Keys.jobsByStatusPage(status, page),
});

export const nearbyIndexKeys = (cell: string): PagedIndexKeys => ({
  head: Keys.jobsNear(cell),
  page: (page) => Keys.jobsNearPage(cell, page),
});

/** An entry of a `jobs-by-status` page; its (createdOn, id) is also its place in the order. */
export interface JobIndexEntry {
  id: string;
  createdOn: string;
}

/** `applications-by-job:{jobId}`, in the order the applications arrived. */
export interface JobApplicationsEntry {
  applicationId: string;
  nanny: string;
}

/** `applications-by-nanny:{username}`, in the order the applications arrived. */
export interface NannyApplicationsEntry {
  applicationId: string;
  jobId: string;
}

interface IndexRecord<E> {
  entries: E[];
}

/** An index as read: its entries plus what a write needs to be conditional on that read. */
export interface Index<E> extends RecordVersion {
  entries: E[];
}

export const readIndex = async <E>(store: StateStore, key: string): Promise<Index<E>> => {
  const entry = await store.get<IndexRecord<E>>(key);
  return { key, entries: entry?.value.entries ?? [], etag: entry?.etag };
};

/** Rewrites an index, conditional on nobody having written it since it was read. */
export const writeIndex = <E>(index: Index<E>, entries: readonly E[]): TransactionOperation =>
  conditionalUpsert(index, { entries: [...entries] } satisfies IndexRecord<E>);

/** Newest first; the id breaks ties between jobs created in the same millisecond. */
export const newestFirst = (a: JobIndexEntry, b: JobIndexEntry): number =>
  a.createdOn === b.createdOn ? compareText(b.id, a.id) : compareText(b.createdOn, a.createdOn);

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
