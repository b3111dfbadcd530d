import { badInput, notFound } from '@sitter/ports';
import type { DeclineRequest } from '@sitter/contracts';
import type { JobDomain } from './context';
import type { JobApplication } from './model';
import { retryOnConflict } from './retry';
import { Keys, writeRecord } from './state';

/** What a decline request did; every outcome is final, so the message can be acknowledged. */
export type DeclineOutcome = 'DECLINED' | 'ALREADY_DECLINED' | 'REFUSED_ACCEPTED';

/**
 * Declines a PENDING application. Requests arrive at least once, so a repeat is a no-op;
 * an ACCEPTED application is never declined (the booking owns it now).
 */
export const declineApplication = async (
  domain: Pick<JobDomain, 'store' | 'clock'>,
  request: DeclineRequest,
): Promise<DeclineOutcome> =>
  retryOnConflict('the application', async () => {
    const entry = await domain.store.get<JobApplication>(Keys.application(request.applicationId));
    if (!entry) throw notFound(`application ${request.applicationId} not found`);
    if (entry.value.jobId !== request.jobId) {
      throw badInput('jobId', `application ${request.applicationId} does not belong to job ${request.jobId}`);
    }
    if (entry.value.status === 'DECLINED') return 'ALREADY_DECLINED';
    if (entry.value.status === 'ACCEPTED') return 'REFUSED_ACCEPTED';
    const declined: JobApplication = {
      ...entry.value,
      status: 'DECLINED',
      declineReason: request.reason,
      updatedOn: domain.clock.now().toISOString(),
    };
    await domain.store.transact([writeRecord(entry, declined)]);
    return 'DECLINED';
  });
