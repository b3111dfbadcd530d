import {
  ConcurrencyConflictError,
  LeaseBusyError,
  MAX_CONFLICT_ATTEMPTS,
  pauseAfterConflict,
  type HeldLease,
  type StateEntry,
} from '@sitter/ports';
import type { BookingRecord } from './booking';
import { cancel, declineOthers, publishEvent, releaseClaim, releaseReservation, requestRefund } from './closing-steps';
import type { BookingContext } from './context';
import { claimJob, confirm, requestPayment, reserve } from './forward-steps';
import { nextStep, type Step } from './steps';

/** Far more than any booking needs (about six steps each way); a loop beyond it is a bug. */
const MAX_STEPS = 20;

const perform = (context: BookingContext, entry: StateEntry<BookingRecord>, step: Step): Promise<void> => {
  switch (step.kind) {
    case 'CLAIM_JOB':
      return claimJob(context, entry);
    case 'RESERVE':
      return reserve(context, entry);
    case 'REQUEST_PAYMENT':
      return requestPayment(context, entry);
    case 'CONFIRM':
      return confirm(context, entry);
    case 'CANCEL':
      return cancel(context, entry, step.reason);
    case 'DECLINE_OTHERS':
      return declineOthers(context, entry);
    case 'PUBLISH_EVENT':
      return publishEvent(context, entry, step.type);
    case 'RELEASE_RESERVATION':
      return releaseReservation(context, entry);
    case 'RELEASE_CLAIM':
      return releaseClaim(context, entry);
    case 'REQUEST_REFUND':
      return requestRefund(context, entry);
  }
};

export interface AdvanceOptions {
  /** Also bring the booking's entry in the scheduler's due list up to date (the scheduler's visits). */
  reschedule?: boolean;
  /**
   * Leave the booking alone if another replica is working on it now (the scheduler: that replica's writes
   * reschedule it) instead of waiting for its lease. The booking is then resolved as undefined.
   */
  skipIfBusy?: boolean;
}

/**
 * Runs the booking's next steps until it has to wait or is settled, holding the booking's lease, so one
 * replica at a time advances it. Each step re-reads the booking and ends with a conditional write, so
 * whatever woke the booking (a message, a redelivery, the scheduler after a crash or a takeover) continues
 * from what is stored. A failing step, or a lease lost meanwhile, rejects; the message is then redelivered,
 * or the scheduler tries again later.
 */
export const advanceBooking = (context: BookingContext) => {
  const run = async (id: string, lease: HeldLease, options: AdvanceOptions): Promise<BookingRecord | undefined> => {
    let conflicts = 0;
    for (let steps = 0; steps < MAX_STEPS;) {
      const entry = await context.repository.load(id);
      const step = entry && nextStep(entry.value, context.clock.now());
      if (!step) {
        if (options.reschedule) await context.repository.reschedule(id, entry?.value);
        return entry?.value;
      }
      if (!lease.held()) throw new LeaseBusyError(lease.key);
      try {
        await perform(context, entry, step);
        // Which replica did which step: with several replicas, the one place that says who advanced a booking.
        context.log.info('booking step done', { bookingId: id, step: step.kind });
        steps += 1;
      } catch (error) {
        if (!(error instanceof ConcurrencyConflictError) || ++conflicts > MAX_CONFLICT_ATTEMPTS) throw error;
        await pauseAfterConflict(conflicts);
      }
    }
    throw new Error(`booking ${id} did not settle within ${MAX_STEPS} steps`);
  };
  return (id: string, options: AdvanceOptions = {}): Promise<BookingRecord | undefined> =>
    options.skipIfBusy
      ? context.leases.runIfFree(id, (lease) => run(id, lease, options))
      : context.leases.run(id, (lease) => run(id, lease, options));
};

export type AdvanceBooking = ReturnType<typeof advanceBooking>;
