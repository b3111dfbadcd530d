import { AppError, isAdmin, parseFilter, type Actor } from '@sitter/ports';
import type { JobDomain } from './context';
import { planJobQuery, queryJobs, JOB_FILTER_FIELDS, type JobQuery } from './job-queries';
import { getJob, listJobs } from './jobs';
import type { Job, JobApplication, JobPage } from './model';
import { publicJob, type PublicJob } from './public-job';
import { Keys, readIndex, type JobApplicationsEntry } from './state';
import { validateListJobsQuery } from './validation';

export { publicJob, type PublicJob } from './public-job';

const seesEverything = (actor: Actor | undefined, job: Job): boolean =>
  actor !== undefined && (actor.username === job.owner || isAdmin(actor));

/** The nanny whose application the job accepted (booked) needs the address to get there. */
const isBookedNanny = async (domain: JobDomain, actor: Actor | undefined, job: Job): Promise<boolean> => {
  if (!actor || job.status !== 'CLOSED') return false;
  const byJob = await readIndex<JobApplicationsEntry>(domain.store, Keys.applicationsByJob(job.id));
  const theirs = byJob.entries.filter((entry) => entry.nanny === actor.username);
  const applications = await domain.store.getBulk<JobApplication>(
    theirs.map((entry) => Keys.application(entry.applicationId)),
  );
  return [...applications.values()].some((entry) => entry.value.status === 'ACCEPTED');
};

/** A job as this caller may see it (no caller: the public behind an API key). */
export const viewJob = async (domain: JobDomain, actor: Actor | undefined, jobId: string): Promise<Job | PublicJob> => {
  const job = await getJob(domain, jobId);
  return seesEverything(actor, job) || (await isBookedNanny(domain, actor, job)) ? job : publicJob(job);
};

/**
 * Jobs of one status as this caller may see them. Open jobs are public (an API key is enough);
 * booked (CLOSED) jobs only to someone signed in.
 */
export const viewJobs = async (
  domain: JobDomain,
  actor: Actor | undefined,
  rawQuery: { status?: unknown; limit?: unknown; after?: unknown },
): Promise<{ items: Array<Job | PublicJob>; cursor: JobPage['cursor'] }> => {
  if (!actor && validateListJobsQuery(rawQuery).status !== 'OPEN') {
    throw new AppError('UNAUTHENTICATED', 'only open jobs are listed without a bearer token');
  }
  const page = await listJobs(domain, rawQuery);
  return { ...page, items: page.items.map((job) => (seesEverything(actor, job) ? job : publicJob(job))) };
};

/** Jobs by a filter as this caller may see them: without a caller, the filter must select OPEN jobs only. */
export const viewJobQuery = async (
  domain: JobDomain,
  actor: Actor | undefined,
  query: JobQuery,
): Promise<{ items: Array<Job | PublicJob>; cursor: JobPage['cursor'] }> => {
  if (!actor) {
    const { statuses } = planJobQuery(parseFilter(query.filter, JOB_FILTER_FIELDS));
    if (statuses.length !== 1 || statuses[0] !== 'OPEN') {
      throw new AppError('UNAUTHENTICATED', 'only open jobs are listed without a bearer token: filter on status OPEN');
    }
  }
  const page = await queryJobs(domain, query);
  return { ...page, items: page.items.map((job) => (seesEverything(actor, job) ? job : publicJob(job))) };
};

/** The job of a nanny's application: all of it once that application is ACCEPTED, or to an admin. */
export const jobOfApplication = (actor: Actor, application: JobApplication, job: Job): Job | PublicJob =>
  application.status === 'ACCEPTED' || seesEverything(actor, job) ? job : publicJob(job);
