import { errorFromAnswer, parseAnswer, ServiceCaller } from '@sitter/platform';
import { z } from 'zod';
import type { Actor, Invoker } from '@sitter/ports';
import { AppIds } from '@sitter/contracts';
import type { ApplicationSummary, JobService, JobSummary, ReserveOutcome } from '../domain';

const jobBody = z.object({
  id: z.string(),
  owner: z.string(),
  status: z.enum(['OPEN', 'CLOSED']),
  cost: z.string(),
});

const applicationsBody = z.array(
  z.object({ id: z.string(), nanny: z.string(), status: z.enum(['PENDING', 'ACCEPTED', 'DECLINED']) }),
);

const reservationBody = z.object({ otherPendingApplicationIds: z.array(z.string()) });

/** Answers the job service gives when a reservation cannot be made or undone: not a failure of the call. */
const REFUSALS = [400, 403, 404, 409];

const jobPath = (jobId: string) => `/jobs/${encodeURIComponent(jobId)}`;

/** The job service's routes (docs/internal-api.md), called as the given actor. */
export class JobServiceClient implements JobService {
  constructor(private readonly invoker: Invoker) {}

  async findJob(actor: Actor, jobId: string): Promise<JobSummary | undefined> {
    return (await this.as(actor).find(AppIds.job, jobPath(jobId), jobBody)) ?? undefined;
  }

  listApplications(actor: Actor, jobId: string): Promise<ApplicationSummary[]> {
    return this.as(actor).call(AppIds.job, 'GET', `${jobPath(jobId)}/applications`, undefined, applicationsBody);
  }

  async reserve(actor: Actor, jobId: string, applicationId: string): Promise<ReserveOutcome> {
    const path = `${jobPath(jobId)}/reservations`;
    const response = await this.as(actor).send(AppIds.job, 'POST', path, { applicationId });
    if (response.status === 200) {
      const body = parseAnswer(AppIds.job, `POST ${path}`, response.body, reservationBody);
      return { reserved: true, otherPendingApplicationIds: body.otherPendingApplicationIds };
    }
    const error = errorFromAnswer(AppIds.job, `POST ${path}`, response);
    if (!REFUSALS.includes(response.status)) throw error;
    return { reserved: false, reason: error.message };
  }

  async release(actor: Actor, jobId: string, applicationId: string): Promise<void> {
    const path = `${jobPath(jobId)}/reservations/${encodeURIComponent(applicationId)}`;
    const response = await this.as(actor).send(AppIds.job, 'DELETE', path);
    // 404 and 409: the job or application is gone, or the job is reserved for no application of ours.
    if (response.status === 200 || response.status === 404 || response.status === 409) return;
    throw errorFromAnswer(AppIds.job, `DELETE ${path}`, response);
  }

  private as(actor: Actor): ServiceCaller {
    return new ServiceCaller(this.invoker, { actor });
  }
}
