import { AppError, notFound, retryOnConflict, conditionalUpsert } from '@sitter/ports';
import { applicationChange } from './changes';
import type { JobDomain } from './context';
import { findJob } from './jobs';
import type { JobApplication } from './model';
import { Keys } from './state';
import { validateDeclineInput } from './validation';

/** What `POST /applications/:id/decline` did. Both answers are final: the caller may stop asking. */
export type DeclineOutcome = 'DECLINED' | 'ALREADY_DECLINED';

export interface DeclineResult {
  outcome: DeclineOutcome;
  application: JobApplication;
}

/**
 * The field named on the CONFLICT that refuses to decline an ACCEPTED application, so a caller can
 * tell that final refusal apart from a CONFLICT worth retrying (records that kept changing).
 */
export const REFUSED_FIELD = 'status';
export const REFUSED_MESSAGE = 'refused: accepted applications are never declined';

/**
 * Declines a PENDING application. Requests arrive at least once, so a repeat answers
 * ALREADY_DECLINED and changes nothing; an ACCEPTED application is never declined (a booking
 * owns it), which is a CONFLICT naming `status`. An application that does not exist, or is not
 * of the named job, is NOT_FOUND.
 */
export const declineApplication = async (
  domain: Pick<JobDomain, 'store' | 'clock' | 'events'>,
  applicationId: string,
  rawInput: unknown,
): Promise<DeclineResult> => {
  const input = validateDeclineInput(rawInput);
  return retryOnConflict('the application', async () => {
    const entry = await domain.store.get<JobApplication>(Keys.application(applicationId));
    if (!entry || entry.value.jobId !== input.jobId) {
      throw notFound(`application ${applicationId} not found for job ${input.jobId}`);
    }
    if (entry.value.status === 'DECLINED') return { outcome: 'ALREADY_DECLINED', application: entry.value };
    if (entry.value.status === 'ACCEPTED') throw new AppError('CONFLICT', REFUSED_MESSAGE, REFUSED_FIELD);
    const declined: JobApplication = {
      ...entry.value,
      status: 'DECLINED',
      declineReason: input.reason,
      updatedOn: domain.clock.now().toISOString(),
    };
    const job = (await findJob(domain.store, input.jobId)).value;
    const event = domain.events.stamp(applicationChange('APPLICATION_DECLINED', declined, job.owner));
    await domain.events.commit([conditionalUpsert(entry, declined)], [event]);
    return { outcome: 'DECLINED', application: declined };
  });
};
