import {
  matchesFilter,
  parseFilter,
  parseSortBy,
  planRangeQuery,
  retryOnConflict,
  type Filter,
  type TextRange,
} from '@sitter/ports';
import type { JobDomain } from './context';
import { decodeCursor, encodeCursor } from './cursor';
import { JOB_STATUSES, type Job, type JobPage, type JobStatus } from './model';
import { Keys, newestFirst, type JobIndexEntry } from './state';
import { statusIndex } from './status-index';
import { validatePageLimit } from './validation';

/**
 * `POST /jobs/queries`: jobs by a filter, newest first (or oldest first: sortBy createdOn ASC), in cursor pages, served only by what the
 * `jobs-by-status` index holds: which status (its pages) and createdOn (their order). So a filter may say
 * anything about `status` (eq, ne, in, isDefined, and/or/not among them) and narrow `createdOn` to a range
 * (eq, gt, gte, lt, lte, beginsWith, isDefined: true) at its top level; the index then reads only the pages
 * of the statuses asked for, from the range's newest end, and stops at its oldest end. Anything else
 * (createdOn with ne/in/contains, createdOn under `or`/`not`, an `or` mixing fields) would need reading jobs
 * the answer does not contain, so it is refused with BAD_USER_INPUT naming it.
 */
export const JOB_FILTER_FIELDS = ['status', 'createdOn'] as const;

export interface JobQueryPlan {
  statuses: JobStatus[];
  range: TextRange;
}

/** What the index reads for this filter, or BAD_USER_INPUT naming the part it cannot serve. */
export const planJobQuery = (filter: Filter): JobQueryPlan => {
  const plan = planRangeQuery(filter, { field: 'status', values: JOB_STATUSES }, 'createdOn', 'the jobs index');
  return { statuses: plan.partitions, range: plan.range };
};

/** The index position just above the newest entry the range allows (entries "after" it are the ones inside). */
const startOf = (range: TextRange): JobIndexEntry | undefined => {
  if (!range.upper) return undefined;
  // Ids are never empty and never above U+FFFF, so these place the bound just above or below every id.
  return { createdOn: range.upper.value, id: range.upper.inclusive ? '\uffff' : '' };
};

/** The index position just below the oldest entry the range allows (entries newer than it are inside). */
const endOf = (range: TextRange): JobIndexEntry | undefined => {
  if (!range.lower) return undefined;
  return { createdOn: range.lower.value, id: range.lower.inclusive ? '' : '\uffff' };
};

const newerOf = (a: JobIndexEntry | undefined, b: JobIndexEntry | undefined): JobIndexEntry | undefined =>
  !a ? b : !b ? a : newestFirst(a, b) < 0 ? a : b;

const olderOf = (a: JobIndexEntry | undefined, b: JobIndexEntry | undefined): JobIndexEntry | undefined =>
  !a ? b : !b ? a : newestFirst(a, b) > 0 ? a : b;

export interface JobQuery {
  filter?: unknown;
  sortBy?: unknown;
  limit?: unknown;
  after?: unknown;
}

/** One page of the jobs the filter selects, in createdOn order either way; `cursor` is null on the last page. */
export const queryJobs = async (domain: JobDomain, raw: JobQuery): Promise<JobPage> => {
  const filter = parseFilter(raw.filter, JOB_FILTER_FIELDS);
  const sortBy = parseSortBy(raw.sortBy, ['createdOn'], { field: 'createdOn', direction: 'DESC' });
  const limit = validatePageLimit(raw.limit);
  const cursor =
    raw.after === undefined || raw.after === null || raw.after === '' ? undefined : decodeCursor(String(raw.after));
  const plan = planJobQuery(filter);
  const ascending = sortBy.direction === 'ASC';
  const lists = await Promise.all(
    plan.statuses.map((status) =>
      retryOnConflict('the jobs list', () => {
        const index = statusIndex(domain, status);
        return ascending
          ? index.listUp(newerOf(cursor, endOf(plan.range)), limit, startOf(plan.range))
          : index.list(olderOf(cursor, startOf(plan.range)), limit, endOf(plan.range));
      }),
    ),
  );
  const merged = lists
    .flatMap((list) => list.entries)
    .sort((a, b) => (ascending ? newestFirst(b, a) : newestFirst(a, b)));
  const page = merged.slice(0, limit);
  const more = merged.length > limit || lists.some((list) => list.more);

  const jobs = await domain.store.getBulk<Job>(page.map((entry) => Keys.job(entry.id)));
  // A job that changed status between the index read and this one no longer matches and is left out.
  const items = page.flatMap((entry) => {
    const job = jobs.get(Keys.job(entry.id))?.value;
    return job && matchesFilter(job as unknown as Record<string, unknown>, filter) ? [job] : [];
  });
  const last = page.at(-1);
  return { items, cursor: more && last ? encodeCursor(last) : null };
};
