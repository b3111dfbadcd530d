import type { BookingRecord, SagaState } from './booking';

/** Saga bookkeeping only: what the API shows (updatedAt included) stays as it is. */
export const withSaga = (record: BookingRecord, patch: Partial<SagaState>): BookingRecord => ({
  ...record,
  saga: { ...record.saga, ...patch },
});

export const confirmed = (record: BookingRecord, bookingReference: string, now: Date): BookingRecord => ({
  ...record,
  status: 'CONFIRMED',
  bookingReference,
  updatedAt: now.toISOString(),
});

export const cancelled = (record: BookingRecord, reason: string, now: Date): BookingRecord => ({
  ...record,
  status: 'CANCELLED',
  cancellationReason: reason,
  updatedAt: now.toISOString(),
});
