import { errorFromAnswer, parseAnswer, ServiceCaller } from '@sitter/platform';
import { z } from 'zod';
import type { Actor, Invoker } from '@sitter/ports';
import { JobRoutes } from '@sitter/contracts';
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

/** The job service's routes (docs/internal-api.md), called as the given actor. */
export class JobServiceClient implements JobService {
  constructor(private readonly invoker: Invoker) {}

  async findJob(actor: Actor, jobId: string): Promise<JobSummary | undefined> {
    return (await this.as(actor).find(JobRoutes.getJob, { params: { id: jobId }, answer: jobBody })) ?? undefined;
  }

  listApplications(actor: Actor, jobId: string): Promise<ApplicationSummary[]> {
    return this.as(actor).call(JobRoutes.listJobApplications, { params: { id: jobId }, answer: applicationsBody });
  }

  async reserve(actor: Actor, jobId: string, applicationId: string): Promise<ReserveOutcome> {
    const route = JobRoutes.reserveApplication;
    const response = await this.as(actor).send(route, { params: { id: jobId }, body: { applicationId } });
    const name = `${route.method} ${route.path}`;
    if (response.status === 200) {
      const body = parseAnswer(route.appId, name, response.body, reservationBody);
      return { reserved: true, otherPendingApplicationIds: body.otherPendingApplicationIds };
    }
    const error = errorFromAnswer(route.appId, name, response);
    if (!REFUSALS.includes(response.status)) throw error;
    return { reserved: false, reason: error.message };
  }

  async release(actor: Actor, jobId: string, applicationId: string): Promise<void> {
    const route = JobRoutes.releaseReservation;
    const response = await this.as(actor).send(route, { params: { id: jobId, applicationId } });
    // 404 and 409: the job or application is gone, or the job is reserved for no application of ours.
    if (response.status === 200 || response.status === 404 || response.status === 409) return;
    throw errorFromAnswer(route.appId, `${route.method} ${route.path}`, response);
  }

  private as(actor: Actor): ServiceCaller {
    return new ServiceCaller(this.invoker, { actor });
  }
}
