import { forbidden, isAdmin, matchesFilter, parseFilter, parseSortBy, type Actor } from '@sitter/ports';
import type { JobDomain } from './context';
import { decodeCursor, encodeCursor } from './cursor';
import { findJob } from './jobs';
import { loadApplications } from './applications';
import type { JobApplication } from './model';
import { Keys, newestFirst, readIndex, type JobApplicationsEntry, type JobIndexEntry } from './state';
import { validatePageLimit } from './validation';

/**
 * `POST /jobs/:id/applications/queries`: one job's applications by a filter, in cursor pages. The job's
 * `applications-by-job` record names every one of them and is bounded by what one job gathers, so the filter may
 * use any field and operator: it is checked against exactly the applications that record names, never others.
 */
export const APPLICATION_FILTER_FIELDS = ['status', 'nanny', 'createdOn', 'updatedOn', 'declineReason'] as const;

export interface ApplicationPage {
  items: JobApplication[];
  cursor: string | null;
}

export const queryJobApplications = async (
  domain: JobDomain,
  actor: Actor,
  jobId: string,
  raw: { filter?: unknown; sortBy?: unknown; limit?: unknown; after?: unknown },
): Promise<ApplicationPage> => {
  const filter = parseFilter(raw.filter, APPLICATION_FILTER_FIELDS);
  const sortBy = parseSortBy(raw.sortBy, ['createdOn'], { field: 'createdOn', direction: 'ASC' });
  const limit = validatePageLimit(raw.limit);
  const after =
    raw.after === undefined || raw.after === null || raw.after === '' ? undefined : decodeCursor(String(raw.after));
  const job = (await findJob(domain.store, jobId)).value;
  if (job.owner !== actor.username && !isAdmin(actor)) {
    throw forbidden("only the job's owner can see its applications");
  }
  const byJob = await readIndex<JobApplicationsEntry>(domain.store, Keys.applicationsByJob(jobId));
  const applications = await loadApplications(
    domain,
    byJob.entries.map((entry) => entry.applicationId),
  );
  // (createdOn, id) never changes, so the cursor keeps its place while applications arrive or change status.
  const order = (a: JobIndexEntry, b: JobIndexEntry) =>
    sortBy.direction === 'DESC' ? newestFirst(a, b) : newestFirst(b, a);
  const selected = applications
    .filter((application) => matchesFilter(application as unknown as Record<string, unknown>, filter))
    .filter((application) => !after || order(application, after) > 0)
    .sort(order);
  const items = selected.slice(0, limit);
  const last = items.at(-1);
  return { items, cursor: selected.length > limit && last ? encodeCursor(last) : null };
};
