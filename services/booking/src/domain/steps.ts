import type { BookingEventType } from '@sitter/contracts';
import type { BookingRecord } from './booking';

/** The one thing a booking needs next; every step is safe to repeat. */
export type Step =
  | { kind: 'CLAIM_JOB' }
  | { kind: 'RESERVE' }
  | { kind: 'REQUEST_PAYMENT' }
  | { kind: 'CONFIRM' }
  | { kind: 'CANCEL'; reason: string }
  | { kind: 'DECLINE_OTHERS' }
  | { kind: 'PUBLISH_EVENT'; type: BookingEventType }
  | { kind: 'RELEASE_RESERVATION' }
  | { kind: 'RELEASE_CLAIM' }
  | { kind: 'REQUEST_REFUND' };

export const TIMEOUT_BEFORE_RESERVATION = 'the job could not be reserved before the booking deadline';
export const TIMEOUT_BEFORE_PAYMENT = 'no payment result before the booking deadline';

const paidInTime = (record: BookingRecord): boolean =>
  record.saga.payment === 'AUTHORIZED' &&
  record.saga.paymentResultAt !== undefined &&
  record.saga.paymentResultAt <= record.saga.deadlineAt;

const unconfirmedStep = (record: BookingRecord, now: Date): Step | undefined => {
  const { saga } = record;
  if (saga.payment === 'DECLINED')
    return { kind: 'CANCEL', reason: `payment declined: ${saga.paymentReason ?? 'no reason given'}` };
  if (saga.reservation === 'REFUSED')
    return { kind: 'CANCEL', reason: saga.refusal ?? 'the job could not be reserved' };
  if (saga.reservation === 'HELD' && paidInTime(record)) return { kind: 'CONFIRM' };
  if (now.toISOString() >= saga.deadlineAt) {
    return {
      kind: 'CANCEL',
      reason: saga.reservation === 'HELD' ? TIMEOUT_BEFORE_PAYMENT : TIMEOUT_BEFORE_RESERVATION,
    };
  }
  if (saga.reservation === 'NONE') return { kind: 'CLAIM_JOB' };
  if (saga.reservation === 'REQUESTED') return { kind: 'RESERVE' };
  if (saga.payment === 'NONE') return { kind: 'REQUEST_PAYMENT' };
  return undefined;
};

const confirmedStep = ({ saga }: BookingRecord): Step | undefined => {
  if (!saga.declinesRequested) return { kind: 'DECLINE_OTHERS' };
  if (!saga.eventsPublished.includes('BookingConfirmed')) return { kind: 'PUBLISH_EVENT', type: 'BookingConfirmed' };
  return undefined;
};

/** Compensation: undo the reservation, free the job for other bookings, give the money back, tell others. */
const cancelledStep = ({ saga }: BookingRecord): Step | undefined => {
  if (saga.reservation === 'REQUESTED' || saga.reservation === 'HELD') return { kind: 'RELEASE_RESERVATION' };
  if (saga.jobClaim === 'HELD') return { kind: 'RELEASE_CLAIM' };
  if (saga.payment === 'AUTHORIZED' && saga.refund === 'NONE') return { kind: 'REQUEST_REFUND' };
  if (!saga.eventsPublished.includes('BookingCancelled')) return { kind: 'PUBLISH_EVENT', type: 'BookingCancelled' };
  return undefined;
};

/**
 * Decides from the stored booking alone what to do next, so that whichever message, timer or
 * restart wakes the booking up, the same thing happens. Undefined: nothing to do until
 * something arrives (a payment result, the deadline).
 */
export const nextStep = (record: BookingRecord, now: Date): Step | undefined => {
  switch (record.status) {
    case 'UNCONFIRMED':
      return unconfirmedStep(record, now);
    case 'CONFIRMED':
      return confirmedStep(record);
    case 'CANCELLED':
      return cancelledStep(record);
  }
};

/** A booking is settled when it is final and nothing is left to do for it. */
export const isSettled = (record: BookingRecord): boolean =>
  record.status !== 'UNCONFIRMED' && nextStep(record, new Date(record.saga.deadlineAt)) === undefined;

/**
 * When the scheduler should look at the booking again: soon while a step is due (the step runs
 * at once; this only catches a crash or a failure), at the deadline while it waits for payment,
 * never once settled.
 */
export const nextCheckAt = (record: BookingRecord, now: Date, retryMs: number): string | undefined => {
  if (isSettled(record)) return undefined;
  if (nextStep(record, now) === undefined) return record.saga.deadlineAt;
  const retryAt = new Date(now.getTime() + retryMs).toISOString();
  return record.status === 'UNCONFIRMED' && record.saga.deadlineAt < retryAt ? record.saga.deadlineAt : retryAt;
};
