import type { DeclineRequest } from '@sitter/contracts';
import { backoffAfter, type RetryPolicy } from './retry-policy';

/** The job service, which owns applications and decides; it may throw when it cannot be reached. */
export interface JobApplications {
  decline(request: DeclineRequest): Promise<DeclineOutcome>;
}

/** What the decliner needs: a way to reach the job service. */
export interface DeclinerDomain {
  applications: JobApplications;
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

/** Asks the job service to decline the application, and says what that did. Never throws. */
export const declineApplication = async (domain: DeclinerDomain, request: DeclineRequest): Promise<DeclineOutcome> => {
  try {
    return await domain.applications.decline(request);
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
