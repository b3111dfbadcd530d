import { actorHeaders } from '@sitter/platform';
import { z } from 'zod';
import {
  ServiceUnavailableError,
  type Actor,
  type Invoker,
  type InvokeRequest,
  type InvokeResponse,
} from '@sitter/ports';
import { AppIds } from '@sitter/contracts';
import type { ApplicationSummary, JobService, JobSummary, ReserveOutcome } from '../domain';
import { errorFromResponse, reach } from './remote-errors';

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

const shaped = <S extends z.ZodTypeAny>(schema: S, response: InvokeResponse, operation: string): z.infer<S> => {
  const parsed = schema.safeParse(response.body);
  if (!parsed.success) {
    throw new ServiceUnavailableError(AppIds.job, new Error(`${operation} answered an unexpected shape`));
  }
  return parsed.data;
};

/** The job service's routes (docs/internal-api.md), called as the given actor. */
export class JobServiceClient implements JobService {
  constructor(private readonly invoker: Invoker) {}

  async findJob(actor: Actor, jobId: string): Promise<JobSummary | undefined> {
    const response = await this.call(actor, { method: 'GET', path: jobPath(jobId) });
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw errorFromResponse(AppIds.job, 'GET /jobs/:id', response);
    return shaped(jobBody, response, 'GET /jobs/:id');
  }

  async listApplications(actor: Actor, jobId: string): Promise<ApplicationSummary[]> {
    const response = await this.call(actor, { method: 'GET', path: `${jobPath(jobId)}/applications` });
    if (response.status !== 200) throw errorFromResponse(AppIds.job, 'GET /jobs/:id/applications', response);
    return shaped(applicationsBody, response, 'GET /jobs/:id/applications');
  }

  async reserve(actor: Actor, jobId: string, applicationId: string): Promise<ReserveOutcome> {
    const response = await this.call(actor, {
      method: 'POST',
      path: `${jobPath(jobId)}/reservations`,
      body: { applicationId },
    });
    if (response.status === 200) {
      const body = shaped(reservationBody, response, 'POST /jobs/:id/reservations');
      return { reserved: true, otherPendingApplicationIds: body.otherPendingApplicationIds };
    }
    const error = errorFromResponse(AppIds.job, 'POST /jobs/:id/reservations', response);
    if (!REFUSALS.includes(response.status)) throw error;
    return { reserved: false, reason: error.message };
  }

  async release(actor: Actor, jobId: string, applicationId: string): Promise<void> {
    const response = await this.call(actor, {
      method: 'DELETE',
      path: `${jobPath(jobId)}/reservations/${encodeURIComponent(applicationId)}`,
    });
    // 404 and 409: the job or application is gone, or the job is reserved for no application of ours.
    if (response.status === 200 || response.status === 404 || response.status === 409) return;
    throw errorFromResponse(AppIds.job, 'DELETE /jobs/:id/reservations/:applicationId', response);
  }

  private call(actor: Actor, request: Omit<InvokeRequest, 'headers'>): Promise<InvokeResponse> {
    return reach(AppIds.job, () => this.invoker.invoke(AppIds.job, { ...request, headers: actorHeaders(actor) }));
  }
}
