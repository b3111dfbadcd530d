import {
  forbidden,
  hasRole,
  notFound,
  type Actor,
  type StateEntry,
  type StateStore,
  retryOnConflict,
  createOnly,
} from '@sitter/ports';
import { requireActiveAccount } from './accounts';
import type { JobDomain } from './context';
import { decodeCursor, encodeCursor } from './cursor';
import { jobChange } from './changes';
import type { Job, JobPage } from './model';
import { requireFutureStart } from './schedule';
import { Keys } from './state';
import { nearbyIndexWrite } from './nearby-index';
import { statusIndex } from './status-index';
import { validateCreateJobInput, validateListJobsQuery } from './validation';

export const createJob = async (domain: JobDomain, actor: Actor, rawInput: unknown): Promise<Job> => {
  if (!hasRole(actor, 'PARENT')) throw forbidden('only parents can post jobs');
  const input = validateCreateJobInput(rawInput);
  requireFutureStart(input, domain.clock);
  await requireActiveAccount(domain.accounts, actor);
  const now = domain.clock.now().toISOString();
  // Field by field on purpose: every input value is stored as given (text in NFC).
  const job: Job = {
    id: domain.newId(),
    owner: actor.username,
    jobType: input.jobType,
    startDate: input.startDate,
    endDate: input.endDate,
    startTime: input.startTime,
    endTime: input.endTime,
    address: input.address,
    city: input.city,
    latitude: input.latitude,
    longitude: input.longitude,
    cost: input.cost,
    status: 'OPEN',
    createdOn: now,
    updatedOn: now,
  };
  const open = statusIndex(domain, 'OPEN');
  const posted = domain.events.stamp(jobChange('JOB_POSTED', job), actor.username);
  await retryOnConflict('the open jobs list', async () => {
    await domain.events.commit(
      [createOnly(Keys.job(job.id), job), ...(await open.insert(job)), ...(await nearbyIndexWrite(domain, job, true))],
      [posted],
    );
  });
  return job;
};

export const findJob = async (store: StateStore, jobId: string): Promise<StateEntry<Job>> => {
  const entry = await store.get<Job>(Keys.job(jobId));
  if (!entry) throw notFound(`job ${jobId} not found`);
  return entry;
};

export const getJob = async (domain: JobDomain, jobId: string): Promise<Job> =>
  (await findJob(domain.store, jobId)).value;

export const listJobs = async (
  domain: JobDomain,
  rawQuery: { status?: unknown; limit?: unknown; after?: unknown },
): Promise<JobPage> => {
  const query = validateListJobsQuery(rawQuery);
  const after = query.after === undefined ? undefined : decodeCursor(query.after);
  const index = statusIndex(domain, query.status);
  const { entries: page, more } = await retryOnConflict('the jobs list', () => index.list(after, query.limit));
  const jobs = await domain.store.getBulk<Job>(page.map((entry) => Keys.job(entry.id)));
  const items = page.flatMap((entry) => {
    const job = jobs.get(Keys.job(entry.id));
    return job ? [job.value] : [];
  });
  const cursor = more ? encodeCursor(page[page.length - 1]) : null;
  return { items, cursor };
};
