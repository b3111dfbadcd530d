import type { BookingContext } from './context';
import { errorMessage } from './context';
import { listDue } from './due-index';
import type { AdvanceBooking } from './saga';

/**
 * One pass of the scheduler: advances every booking whose due time has come (deadlines, and steps
 * that a crash or a failure left undone). On start-up, `everything` visits every listed booking,
 * since nothing else will resume what the previous run was doing. Resolves with the number visited.
 */
export const sweepBookings =
  (context: BookingContext, advance: AdvanceBooking) =>
  async (options: { everything?: boolean } = {}): Promise<number> => {
    const due = await listDue(context.store, options.everything ? undefined : context.clock.now());
    for (const { id } of due) {
      try {
        await advance(id, { reschedule: true });
      } catch (error) {
        context.log.warn('scheduled booking step failed; it is retried on a later pass', {
          bookingId: id,
          reason: errorMessage(error),
        });
      }
    }
    return due.length;
  };
