import { loadBookingOptions } from '../src/config';

describe('loadBookingOptions', () => {
  it('when nothing is set, then a 15-minute deadline, 30-second step retries, 10-second leases, 15-second sweeps and GBP', () => {
    expect(loadBookingOptions({})).toEqual({
      settings: { paymentDeadlineMs: 900_000, stepRetryMs: 30_000, currency: 'GBP', leaseTtlMs: 10_000 },
      sweepIntervalMs: 15_000,
    });
  });

  it('when set, then the values are read in seconds', () => {
    const options = loadBookingOptions({
      BOOKING_PAYMENT_DEADLINE_SECONDS: '2',
      BOOKING_SWEEP_INTERVAL_SECONDS: '0.5',
      BOOKING_STEP_RETRY_SECONDS: '1',
      BOOKING_CURRENCY: 'EUR',
      BOOKING_LEASE_SECONDS: '3',
    });

    expect(options).toEqual({
      settings: { paymentDeadlineMs: 2000, stepRetryMs: 1000, currency: 'EUR', leaseTtlMs: 3000 },
      sweepIntervalMs: 500,
    });
  });

  it('when a value is wrong, then loading fails naming it', () => {
    expect(() => loadBookingOptions({ BOOKING_PAYMENT_DEADLINE_SECONDS: '-1', BOOKING_CURRENCY: 'pounds' })).toThrow(
      /BOOKING_PAYMENT_DEADLINE_SECONDS[\s\S]*BOOKING_CURRENCY/,
    );
  });
});
