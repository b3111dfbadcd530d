import type { Change } from '@sitter/ports';
import type { Job, JobApplication } from './model';
import { publicJob } from './public-job';

type JobEventType = 'JOB_POSTED' | 'JOB_CLOSED' | 'JOB_REOPENED';
type ApplicationEventType =
  'APPLICATION_SUBMITTED' | 'APPLICATION_ACCEPTED' | 'APPLICATION_DECLINED' | 'APPLICATION_REOPENED';

/** A job's change as its domain event: the owner's, with the public view for anyone else (live jobPosted). */
export const jobChange = (type: JobEventType, job: Job): Change<Job> => ({
  type,
  entity: 'JOB',
  entityId: job.id,
  owners: [job.owner],
  value: job,
  publicValue: publicJob(job),
});

/** An application's change: the nanny's and the job owner's. */
export const applicationChange = (
  type: ApplicationEventType,
  application: JobApplication,
  jobOwner: string,
): Change<JobApplication> => ({
  type,
  entity: 'APPLICATION',
  entityId: application.id,
  owners: [application.nanny, jobOwner],
  value: application,
});
