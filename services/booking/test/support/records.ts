import { freshSaga, type BookingRecord, type SagaState } from '../../src/domain';

export const CREATED = '2031-03-01T09:00:00.000Z';
export const DEADLINE = '2031-03-01T09:15:00.000Z';

/** A stored booking in the state a test names; everything else as a fresh booking has it. */
export const recordWith = (
  changes: Partial<Omit<BookingRecord, 'saga'>> = {},
  saga: Partial<SagaState> = {},
): BookingRecord => ({
  id: 'b1',
  status: 'UNCONFIRMED',
  jobId: 'j1',
  applicationId: 'a1',
  customer: 'pat',
  nanny: 'mary',
  amount: '80.00',
  currency: 'GBP',
  maskedPaymentToken: 'tok_…isa',
  bookingReference: null,
  cancellationReason: null,
  createdAt: CREATED,
  updatedAt: CREATED,
  ...changes,
  saga: { ...freshSaga(DEADLINE), ...saga },
});
