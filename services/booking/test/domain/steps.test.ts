import { isSettled, nextCheckAt, nextStep, type BookingRecord, type Step } from '../../src/domain';
import { CREATED, DEADLINE, recordWith } from '../support/records';

const beforeDeadline = new Date('2031-03-01T09:05:00.000Z');
const atDeadline = new Date(DEADLINE);
const IN_TIME = '2031-03-01T09:10:00.000Z';
const LATE = '2031-03-01T09:16:00.000Z';

const unconfirmed: Array<[string, BookingRecord, Date, Step | undefined]> = [
  ['a new booking claims the job', recordWith(), beforeDeadline, { kind: 'CLAIM_JOB' }],
  [
    'a claimed job is reserved',
    recordWith({}, { reservation: 'REQUESTED', jobClaim: 'HELD' }),
    beforeDeadline,
    { kind: 'RESERVE' },
  ],
  [
    'a refused reservation cancels with its reason',
    recordWith({}, { reservation: 'REFUSED', refusal: 'job is not open' }),
    beforeDeadline,
    { kind: 'CANCEL', reason: 'job is not open' },
  ],
  [
    'a held reservation asks for payment',
    recordWith({}, { reservation: 'HELD', jobClaim: 'HELD' }),
    beforeDeadline,
    { kind: 'REQUEST_PAYMENT' },
  ],
  [
    'a requested payment waits',
    recordWith({}, { reservation: 'HELD', payment: 'REQUESTED' }),
    beforeDeadline,
    undefined,
  ],
  [
    'an authorization in time confirms',
    recordWith({}, { reservation: 'HELD', payment: 'AUTHORIZED', paymentResultAt: IN_TIME }),
    atDeadline,
    { kind: 'CONFIRM' },
  ],
  [
    'a decline cancels with its reason',
    recordWith({}, { reservation: 'HELD', payment: 'DECLINED', paymentReason: 'card_declined' }),
    beforeDeadline,
    { kind: 'CANCEL', reason: 'payment declined: card_declined' },
  ],
  [
    'an authorization before the reservation does not ask for payment again but reserves first',
    recordWith({}, { reservation: 'REQUESTED', payment: 'AUTHORIZED', paymentResultAt: IN_TIME }),
    beforeDeadline,
    { kind: 'RESERVE' },
  ],
  [
    'the deadline passing while waiting for payment cancels',
    recordWith({}, { reservation: 'HELD', payment: 'REQUESTED' }),
    atDeadline,
    { kind: 'CANCEL', reason: 'no payment result before the booking deadline' },
  ],
  [
    'the deadline passing before the reservation cancels',
    recordWith({}, { reservation: 'REQUESTED' }),
    atDeadline,
    { kind: 'CANCEL', reason: 'the job could not be reserved before the booking deadline' },
  ],
  [
    'an authorization recorded after the deadline does not confirm',
    recordWith({}, { reservation: 'HELD', payment: 'AUTHORIZED', paymentResultAt: LATE }),
    new Date(LATE),
    { kind: 'CANCEL', reason: 'no payment result before the booking deadline' },
  ],
];

const confirmed = { status: 'CONFIRMED', bookingReference: 'K7X4Q2' } as const;
const cancelled = { status: 'CANCELLED', cancellationReason: 'why' } as const;

const final: Array<[string, BookingRecord, Step | undefined]> = [
  [
    'a confirmation declines the others first',
    recordWith(confirmed, { reservation: 'HELD' }),
    { kind: 'DECLINE_OTHERS' },
  ],
  [
    'then announces BookingConfirmed',
    recordWith(confirmed, { reservation: 'HELD', declinesRequested: true }),
    { kind: 'PUBLISH_EVENT', type: 'BookingConfirmed' },
  ],
  [
    'then is settled',
    recordWith(confirmed, { reservation: 'HELD', declinesRequested: true, eventsPublished: ['BookingConfirmed'] }),
    undefined,
  ],
  [
    'a cancellation with a held reservation releases it',
    recordWith(cancelled, { reservation: 'HELD', jobClaim: 'HELD' }),
    { kind: 'RELEASE_RESERVATION' },
  ],
  [
    'a cancellation with a reservation of unknown outcome releases it too',
    recordWith(cancelled, { reservation: 'REQUESTED', jobClaim: 'HELD' }),
    { kind: 'RELEASE_RESERVATION' },
  ],
  [
    'then frees the job claim',
    recordWith(cancelled, { reservation: 'RELEASED', jobClaim: 'HELD' }),
    { kind: 'RELEASE_CLAIM' },
  ],
  [
    'then refunds an authorized payment',
    recordWith(cancelled, { reservation: 'RELEASED', jobClaim: 'RELEASED', payment: 'AUTHORIZED' }),
    { kind: 'REQUEST_REFUND' },
  ],
  [
    'then announces BookingCancelled',
    recordWith(cancelled, {
      reservation: 'RELEASED',
      jobClaim: 'RELEASED',
      payment: 'AUTHORIZED',
      refund: 'REQUESTED',
    }),
    { kind: 'PUBLISH_EVENT', type: 'BookingCancelled' },
  ],
  [
    'a refused reservation has nothing to release and only frees its claim',
    recordWith(cancelled, { reservation: 'REFUSED', jobClaim: 'HELD' }),
    { kind: 'RELEASE_CLAIM' },
  ],
  [
    'a declined payment is not refunded',
    recordWith(cancelled, { payment: 'DECLINED' }),
    { kind: 'PUBLISH_EVENT', type: 'BookingCancelled' },
  ],
  [
    'a refund already answered is not asked again',
    recordWith(cancelled, { payment: 'AUTHORIZED', refund: 'REFUNDED', eventsPublished: ['BookingCancelled'] }),
    undefined,
  ],
];

describe('nextStep', () => {
  it.each(unconfirmed)('when UNCONFIRMED: %s', (_case, record, now, expected) => {
    expect(nextStep(record, now)).toEqual(expected);
  });

  it.each(final)('when final: %s', (_case, record, expected) => {
    expect(nextStep(record, atDeadline)).toEqual(expected);
  });
});

describe('isSettled and nextCheckAt', () => {
  const now = new Date(CREATED);

  it('when a step is due, then the scheduler looks again after the retry delay', () => {
    expect(nextCheckAt(recordWith(), now, 30_000)).toBe('2031-03-01T09:00:30.000Z');
  });

  it('when a step is due close to the deadline, then the scheduler looks at the deadline', () => {
    expect(nextCheckAt(recordWith(), new Date('2031-03-01T09:14:50.000Z'), 30_000)).toBe(DEADLINE);
  });

  it('when waiting for payment, then the scheduler looks at the deadline', () => {
    expect(nextCheckAt(recordWith({}, { reservation: 'HELD', payment: 'REQUESTED' }), now, 30_000)).toBe(DEADLINE);
  });

  it('when a final booking still has compensation to do, then it is not settled and is looked at again', () => {
    const record = recordWith(cancelled, { reservation: 'HELD' });

    expect(isSettled(record)).toBe(false);
    expect(nextCheckAt(record, now, 30_000)).toBe('2031-03-01T09:00:30.000Z');
  });

  it('when settled, then the scheduler never looks again', () => {
    const record = recordWith(cancelled, { eventsPublished: ['BookingCancelled'] });

    expect(isSettled(record)).toBe(true);
    expect(nextCheckAt(record, now, 30_000)).toBeUndefined();
  });

  it('when UNCONFIRMED, then it is never settled, whatever remains', () => {
    expect(isSettled(recordWith({}, { reservation: 'HELD', payment: 'REQUESTED' }))).toBe(false);
  });
});
