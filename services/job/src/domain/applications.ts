import { conflict, forbidden, hasRole, isAdmin, type Actor, retryOnConflict, createOnly } from '@sitter/ports';
import { requireActiveAccount } from './accounts';
import type { JobDomain } from './context';
import { applicationChange } from './changes';
import { findJob } from './jobs';
import type { Job, JobApplication, NannyApplication } from './model';
import { jobOfApplication } from './visibility';
import { Keys, readIndex, writeIndex, type JobApplicationsEntry, type NannyApplicationsEntry } from './state';

export const applyToJob = async (domain: JobDomain, actor: Actor, jobId: string): Promise<JobApplication> => {
  if (!hasRole(actor, 'NANNY')) throw forbidden('only nannies can apply to jobs');
  await requireActiveAccount(domain.accounts, actor);
  const id = domain.newId();
  return retryOnConflict('the job applications', async () => {
    // The job's applications index is read BEFORE the job: a reservation rewrites that index,
    // so if one commits after this read our write fails, and if it committed before, the job
    // read below already shows CLOSED.
    const byJob = await readIndex<JobApplicationsEntry>(domain.store, Keys.applicationsByJob(jobId));
    const job = (await findJob(domain.store, jobId)).value;
    if (job.owner === actor.username) throw forbidden('you cannot apply to your own job');
    if (job.status !== 'OPEN') throw conflict('job is not open');
    if (byJob.entries.some((entry) => entry.nanny === actor.username)) {
      throw conflict('you have already applied to this job');
    }
    const byNanny = await readIndex<NannyApplicationsEntry>(domain.store, Keys.applicationsByNanny(actor.username));
    const now = domain.clock.now().toISOString();
    const application: JobApplication = {
      id,
      jobId,
      nanny: actor.username,
      status: 'PENDING',
      createdOn: now,
      updatedOn: now,
    };
    await domain.events.commit(
      [
        createOnly(Keys.application(id), application),
        writeIndex(byJob, [...byJob.entries, { applicationId: id, nanny: actor.username }]),
        writeIndex(byNanny, [...byNanny.entries, { applicationId: id, jobId }]),
      ],
      [domain.events.stamp(applicationChange('APPLICATION_SUBMITTED', application, job.owner), actor.username)],
    );
    return application;
  });
};

export const listJobApplications = async (
  domain: JobDomain,
  actor: Actor,
  jobId: string,
): Promise<JobApplication[]> => {
  const job = (await findJob(domain.store, jobId)).value;
  if (job.owner !== actor.username && !isAdmin(actor)) {
    throw forbidden("only the job's owner can see its applications");
  }
  const byJob = await readIndex<JobApplicationsEntry>(domain.store, Keys.applicationsByJob(jobId));
  return loadApplications(
    domain,
    byJob.entries.map((entry) => entry.applicationId),
  );
};

export const listNannyApplications = async (
  domain: JobDomain,
  actor: Actor,
  username: string,
): Promise<NannyApplication[]> => {
  if (actor.username !== username && !isAdmin(actor)) {
    throw forbidden("only the nanny can see the nanny's applications");
  }
  const byNanny = await readIndex<NannyApplicationsEntry>(domain.store, Keys.applicationsByNanny(username));
  const applications = await loadApplications(
    domain,
    byNanny.entries.map((entry) => entry.applicationId),
  );
  const jobs = await domain.store.getBulk<Job>([...new Set(applications.map((app) => Keys.job(app.jobId)))]);
  return applications.flatMap((application) => {
    const job = jobs.get(Keys.job(application.jobId));
    return job ? [{ ...application, job: jobOfApplication(actor, application, job.value) }] : [];
  });
};

/** The applications with these ids, in the order given. */
export const loadApplications = async (domain: JobDomain, ids: readonly string[]): Promise<JobApplication[]> => {
  const found = await domain.store.getBulk<JobApplication>(ids.map(Keys.application));
  return ids.flatMap((id) => {
    const entry = found.get(Keys.application(id));
    return entry ? [entry.value] : [];
  });
};
