import { AppIds, type DeclineApplicationBody, type DeclineRequest } from '@sitter/contracts';
import type { Invoker } from '@sitter/ports';
import { backoffAfter, type RetryPolicy } from './retry-policy';

/** What the decliner needs: a way to reach the job service, which owns applications. */
export interface DeclinerDomain {
  invoker: Invoker;
}

/**
 * What became of one decline request.
 * - `declined`, `already-declined`: done (a repeat changes nothing).
 * - `refused`: the application is ACCEPTED and is never declined; recorded, not retried.
 * - `unknown`: no such application for that job; retrying cannot help, it is dead-lettered.
 * - `invalid`: the job service rejected the request itself; dead-lettered too.
 * - `transient`: the job service (or its sidecar) did not answer usefully; worth retrying.
 */
export type DeclineOutcome =
  | { kind: 'declined' }
  | { kind: 'already-declined' }
  | { kind: 'refused'; detail: string }
  | { kind: 'unknown'; detail: string }
  | { kind: 'invalid'; detail: string }
  | { kind: 'transient'; detail: string };

export type OutcomeKind = DeclineOutcome['kind'];

interface ErrorBody {
  code?: string;
  message?: string;
  field?: string;
}

/** The field the job service names when it refuses to decline an ACCEPTED application. */
const REFUSED_FIELD = 'status';

const describe = (body: unknown): string => {
  if (typeof body === 'object' && body !== null) {
    const { code, message } = body as ErrorBody;
    if (code || message) return [code, message].filter(Boolean).join(': ');
  }
  return typeof body === 'string' && body.length > 0 ? body.slice(0, 200) : 'no details';
};

const outcomeOf = (status: number, body: unknown): DeclineOutcome => {
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
  if (status === 409 && (body as ErrorBody | null)?.field === REFUSED_FIELD) return { kind: 'refused', detail };
  return { kind: 'transient', detail };
};

/** Asks the job service to decline the application, and says what that did. Never throws. */
export const declineApplication = async (domain: DeclinerDomain, request: DeclineRequest): Promise<DeclineOutcome> => {
  const { jobId, reason, source, requestedAt } = request;
  const body: DeclineApplicationBody = { jobId, reason, source, requestedAt };
  try {
    const response = await domain.invoker.invoke(AppIds.job, {
      method: 'POST',
      path: `/applications/${encodeURIComponent(request.applicationId)}/decline`,
      body,
    });
    return outcomeOf(response.status, response.body);
  } catch (error) {
    return { kind: 'transient', detail: error instanceof Error ? error.message : String(error) };
  }
};

export interface RetryHooks {
  /** Waits between attempts; rejects to give up at once (shutting down): the message stays unhandled. */
  wait(ms: number): Promise<void>;
  /** Called before each wait, with the attempt that failed. */
  onRetry?(failedAttempt: number, detail: string, delayMs: number): void;
}

/**
 * Declines with retries: a `transient` outcome is tried again after the policy's backoff, up to its
 * attempts; every other outcome is final at once. The result tells how many attempts were made.
 */
export const declineWithRetries = async (
  domain: DeclinerDomain,
  request: DeclineRequest,
  policy: RetryPolicy,
  hooks: RetryHooks,
): Promise<{ outcome: DeclineOutcome; attempts: number }> => {
  for (let attempt = 1; ; attempt += 1) {
    const outcome = await declineApplication(domain, request);
    if (outcome.kind !== 'transient' || attempt >= policy.maxAttempts) return { outcome, attempts: attempt };
    const delayMs = backoffAfter(policy, attempt);
    hooks.onRetry?.(attempt, outcome.detail, delayMs);
    await hooks.wait(delayMs);
  }
};
