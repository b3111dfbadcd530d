import { conditionalUpsert, createOnly, readRecord } from '@sitter/ports';
import type { StateEntry } from '@sitter/ports';
import { Keys, type BookingRecord, type JobClaim, type StoredPaymentToken } from './booking';
import { customerOf, type BookingContext } from './context';
import { confirmed, withSaga } from './transitions';

type Entry = StateEntry<BookingRecord>;

/**
 * Takes the job's claim record for this booking, so only one booking at a time may reserve the
 * job: of racing bookings the others are refused here, before anything reaches the job service.
 */
export const claimJob = async (context: BookingContext, entry: Entry): Promise<void> => {
  const record = entry.value;
  const claim = await readRecord<JobClaim>(context.store, Keys.jobClaim(record.jobId));
  const holder =
    claim.value && claim.value.bookingId !== record.id && (await context.repository.load(claim.value.bookingId));
  if (holder) {
    const refusal =
      holder.value.status === 'CONFIRMED' ? 'the job is already booked' : 'another booking of this job is in progress';
    await context.repository.update(entry, withSaga(record, { reservation: 'REFUSED', refusal }));
    return;
  }
  // Absent, ours already, or naming a booking that does not exist (which must not block the job forever).
  const take = claim.value?.bookingId === record.id ? [] : [conditionalUpsert(claim, { bookingId: record.id })];
  await context.repository.update(entry, withSaga(record, { reservation: 'REQUESTED', jobClaim: 'HELD' }), take);
};

/**
 * Asks the job service to close the job and accept the application. A refusal may be our own
 * earlier reservation (the answer was lost in a crash): holding the claim, an ACCEPTED application
 * can only be ours, so it counts as reserved.
 */
export const reserve = async (context: BookingContext, entry: Entry): Promise<void> => {
  const record = entry.value;
  const customer = customerOf(record);
  const outcome = await context.jobs.reserve(customer, record.jobId, record.applicationId);
  if (outcome.reserved) {
    const patch = { reservation: 'HELD', otherPendingApplicationIds: outcome.otherPendingApplicationIds } as const;
    await context.repository.update(entry, withSaga(record, patch));
    return;
  }
  const applications = await context.jobs.listApplications(customer, record.jobId);
  const ours = applications.find((application) => application.id === record.applicationId);
  if (ours?.status === 'ACCEPTED') {
    const others = applications.filter((other) => other.id !== record.applicationId && other.status === 'PENDING');
    const patch = { reservation: 'HELD', otherPendingApplicationIds: others.map((other) => other.id) } as const;
    await context.repository.update(entry, withSaga(record, patch));
    context.log.info('reservation found already made for this booking', { bookingId: record.id });
    return;
  }
  await context.repository.update(entry, withSaga(record, { reservation: 'REFUSED', refusal: outcome.reason }));
};

/** Publishes the authorization request, then forgets the token: it is needed for nothing else. */
export const requestPayment = async (context: BookingContext, entry: Entry): Promise<void> => {
  const record = entry.value;
  const token = await context.store.get<StoredPaymentToken>(Keys.paymentToken(record.id));
  if (!token) {
    const patch = { payment: 'DECLINED', paymentReason: 'the payment token is no longer available' } as const;
    await context.repository.update(entry, withSaga(record, patch));
    return;
  }
  await context.messages.authorize(record, token.value.paymentToken, context.clock.now());
  await context.repository.update(entry, withSaga(record, { payment: 'REQUESTED' }), [
    { operation: 'delete', key: token.key },
  ]);
};

/** A reference clash fails the write like any conflict; the retry draws a new reference. */
export const confirm = async (context: BookingContext, entry: Entry): Promise<void> => {
  const reference = context.newReference();
  const next = confirmed(entry.value, reference, context.clock.now());
  await context.repository.update(entry, next, [createOnly(Keys.reference(reference), { bookingId: next.id })]);
  context.log.info('booking confirmed', { bookingId: next.id, bookingReference: reference });
};
