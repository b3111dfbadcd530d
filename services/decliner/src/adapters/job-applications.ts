import { JobRoutes, routePath, type DeclineApplicationBody, type DeclineRequest } from '@sitter/contracts';
import type { ErrorBody } from '@sitter/platform';
import type { Invoker } from '@sitter/ports';
import type { DeclineOutcome, JobApplications } from '../domain';

/** What the job service answered on error, as far as it can be trusted to have been said. */
type AnsweredError = Partial<ErrorBody>;

/** The field the job service names when it refuses to decline an ACCEPTED application. */
const REFUSED_FIELD = 'status';

const describe = (body: unknown): string => {
  if (typeof body === 'object' && body !== null) {
    const { code, message } = body as AnsweredError;
    if (code || message) return [code, message].filter(Boolean).join(': ');
  }
  return typeof body === 'string' && body.length > 0 ? body.slice(0, 200) : 'no details';
};

/** The outcome an answer of `POST /applications/:id/decline` means. */
export const outcomeOf = (status: number, body: unknown): DeclineOutcome => {
  if (status === 200) {
    const outcome = (body as { outcome?: string } | null)?.outcome;
    if (outcome === 'DECLINED') return { kind: 'declined' };
    if (outcome === 'ALREADY_DECLINED') return { kind: 'already-declined' };
    return { kind: 'transient', detail: `unexpected answer from the job service: ${describe(body)}` };
  }
  const detail = `job service answered ${status} (${describe(body)})`;
  if (status === 404) return { kind: 'unknown', detail };
  if (status === 400) return { kind: 'invalid', detail };
  // Any other 409 means the application kept changing under concurrent writes: worth another try.
  if (status === 409 && (body as AnsweredError | null)?.field === REFUSED_FIELD) return { kind: 'refused', detail };
  return { kind: 'transient', detail };
};

/** The job service's applications, reached through service invocation. */
export class InvokedJobApplications implements JobApplications {
  constructor(private readonly invoker: Invoker) {}

  async decline(request: DeclineRequest): Promise<DeclineOutcome> {
    const { jobId, reason, source, requestedAt } = request;
    const body: DeclineApplicationBody = { jobId, reason, source, requestedAt };
    const route = JobRoutes.declineApplication;
    const response = await this.invoker.invoke(route.appId, {
      method: route.method,
      path: routePath(route, { id: request.applicationId }),
      body,
    });
    return outcomeOf(response.status, response.body);
  }
}
