import {
  conflict,
  forbidden,
  notFound,
  type Actor,
  type StateEntry,
  retryOnConflict,
  conditionalUpsert,
} from '@sitter/ports';
import type { JobDomain } from './context';
import { applicationChange, jobChange } from './changes';
import { findJob } from './jobs';
import { loadApplications } from './applications';
import type { Job, JobApplication, Reservation, ReservationRelease } from './model';
import { Keys, readIndex, writeIndex, type JobApplicationsEntry } from './state';
import { nearbyIndexWrite } from './nearby-index';
import { statusIndex } from './status-index';
import { validateReservationInput } from './validation';

interface ReservationParties {
  job: StateEntry<Job>;
  application: StateEntry<JobApplication>;
}

/** Booking is the parent's own act: not even an ADMIN may do it for them. */
const readParties = async (
  domain: JobDomain,
  actor: Actor,
  jobId: string,
  applicationId: string,
): Promise<ReservationParties> => {
  const job = await findJob(domain.store, jobId);
  if (job.value.owner !== actor.username) throw forbidden("only the job's owner can book it");
  const application = await domain.store.get<JobApplication>(Keys.application(applicationId));
  if (!application || application.value.jobId !== jobId) {
    throw notFound(`application ${applicationId} not found for job ${jobId}`);
  }
  return { job, application };
};

/**
 * Closes the job and accepts one application in a single transaction. Every record it
 * read is written back conditional on its ETag, the job's applications index included,
 * so of concurrent reservations exactly one commits and no application slips in unseen.
 */
export const reserveApplication = async (
  domain: JobDomain,
  actor: Actor,
  jobId: string,
  rawInput: unknown,
): Promise<Reservation> => {
  const { applicationId } = validateReservationInput(rawInput);
  return retryOnConflict('the job', async () => {
    const byJob = await readIndex<JobApplicationsEntry>(domain.store, Keys.applicationsByJob(jobId));
    const { job, application } = await readParties(domain, actor, jobId, applicationId);
    if (job.value.status !== 'OPEN') throw conflict('job is not open');
    if (application.value.status !== 'PENDING') throw conflict('application is not pending');
    const leaveOpen = await statusIndex(domain, 'OPEN').remove(job.value);
    const joinClosed = await statusIndex(domain, 'CLOSED').insert(job.value);
    const others = await loadApplications(
      domain,
      byJob.entries.map((entry) => entry.applicationId).filter((id) => id !== applicationId),
    );
    const now = domain.clock.now().toISOString();
    const closedJob: Job = { ...job.value, status: 'CLOSED', updatedOn: now };
    const accepted: JobApplication = { ...application.value, status: 'ACCEPTED', updatedOn: now };
    await domain.events.commit(
      [
        conditionalUpsert(job, closedJob),
        conditionalUpsert(application, accepted),
        ...leaveOpen,
        ...joinClosed,
        ...(await nearbyIndexWrite(domain, job.value, false)),
        writeIndex(byJob, byJob.entries),
      ],
      [
        domain.events.stamp(jobChange('JOB_CLOSED', closedJob), actor.username),
        domain.events.stamp(applicationChange('APPLICATION_ACCEPTED', accepted, closedJob.owner), actor.username),
      ],
    );
    return {
      job: closedJob,
      application: accepted,
      otherPendingApplicationIds: others.filter((other) => other.status === 'PENDING').map((other) => other.id),
    };
  });
};

/** Undoes a reservation (a booking that could not complete). Releasing twice answers the same. */
export const releaseReservation = async (
  domain: JobDomain,
  actor: Actor,
  jobId: string,
  applicationId: string,
): Promise<ReservationRelease> =>
  retryOnConflict('the job', async () => {
    const byJob = await readIndex<JobApplicationsEntry>(domain.store, Keys.applicationsByJob(jobId));
    const { job, application } = await readParties(domain, actor, jobId, applicationId);
    if (job.value.status === 'OPEN' && application.value.status === 'PENDING') {
      return { job: job.value, application: application.value };
    }
    if (job.value.status !== 'CLOSED' || application.value.status !== 'ACCEPTED') {
      throw conflict('the job is not reserved for this application');
    }
    const leaveClosed = await statusIndex(domain, 'CLOSED').remove(job.value);
    const rejoinOpen = await statusIndex(domain, 'OPEN').insert(job.value);
    const now = domain.clock.now().toISOString();
    const reopened: Job = { ...job.value, status: 'OPEN', updatedOn: now };
    const pending: JobApplication = { ...application.value, status: 'PENDING', updatedOn: now };
    await domain.events.commit(
      [
        conditionalUpsert(job, reopened),
        conditionalUpsert(application, pending),
        ...rejoinOpen,
        ...leaveClosed,
        ...(await nearbyIndexWrite(domain, job.value, true)),
        writeIndex(byJob, byJob.entries),
      ],
      [
        domain.events.stamp(jobChange('JOB_REOPENED', reopened), actor.username),
        domain.events.stamp(applicationChange('APPLICATION_REOPENED', pending, reopened.owner), actor.username),
      ],
    );
    return { job: reopened, application: pending };
  });
