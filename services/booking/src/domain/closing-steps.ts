/** Steps that run once a booking is final: follow-ups of a confirmation, compensation of a cancellation. */
import { conditionalDelete, readRecord } from '@sitter/ports';
import type { StateEntry } from '@sitter/ports';
import type { BookingEventType } from '@sitter/contracts';
import { Keys, type BookingRecord, type JobClaim } from './booking';
import { customerOf, type BookingContext } from './context';
import { cancelled, withSaga } from './transitions';

type Entry = StateEntry<BookingRecord>;

/** Ends the booking; compensation follows as separate steps. The token, if still kept, goes now. */
export const cancel = async (context: BookingContext, entry: Entry, reason: string): Promise<void> => {
  const next = cancelled(entry.value, reason, context.clock.now());
  await context.repository.update(entry, next, [{ operation: 'delete', key: Keys.paymentToken(next.id) }]);
  context.log.info('booking cancelled', { bookingId: next.id, reason });
};

export const releaseReservation = async (context: BookingContext, entry: Entry): Promise<void> => {
  const record = entry.value;
  await context.jobs.release(customerOf(record), record.jobId, record.applicationId);
  await context.repository.update(entry, withSaga(record, { reservation: 'RELEASED' }));
  context.log.info('reservation released', { bookingId: record.id, jobId: record.jobId });
};

/** Runs after the release, so no other booking can reserve the job while it is still closed for this one. */
export const releaseClaim = async (context: BookingContext, entry: Entry): Promise<void> => {
  const record = entry.value;
  const claim = await readRecord<JobClaim>(context.store, Keys.jobClaim(record.jobId));
  const ours = claim.value?.bookingId === record.id ? [conditionalDelete(claim)] : [];
  await context.repository.update(entry, withSaga(record, { jobClaim: 'RELEASED' }), ours);
};

export const requestRefund = async (context: BookingContext, entry: Entry): Promise<void> => {
  const record = entry.value;
  await context.messages.refund(record, context.clock.now());
  await context.repository.update(entry, withSaga(record, { refund: 'REQUESTED' }));
  context.log.info('refund requested', { bookingId: record.id });
};

export const declineOthers = async (context: BookingContext, entry: Entry): Promise<void> => {
  const record = entry.value;
  await context.messages.declineOthers(record, context.clock.now());
  await context.repository.update(entry, withSaga(record, { declinesRequested: true }));
};

/** At least once: a crash before the write publishes it again, with the same eventId. */
export const publishEvent = async (context: BookingContext, entry: Entry, type: BookingEventType): Promise<void> => {
  const record = entry.value;
  await context.messages.event(record, type, context.clock.now());
  await context.repository.update(entry, withSaga(record, { eventsPublished: [...record.saga.eventsPublished, type] }));
};
