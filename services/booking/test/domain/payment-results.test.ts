import type { PaymentResult } from '@sitter/contracts';
import { withPaymentResult } from '../../src/domain';
import { capturingLogger } from '../support/logs';
import { recordWith } from '../support/records';

const now = new Date('2031-03-01T09:05:00.000Z');

const result = (changes: Partial<PaymentResult>): PaymentResult => ({
  version: 1,
  bookingId: 'b1',
  idempotencyKey: 'b1:authorize',
  outcome: 'AUTHORIZED',
  processedAt: now.toISOString(),
  ...changes,
});

describe('withPaymentResult', () => {
  it('when AUTHORIZED answers the authorization, then it is recorded with when it arrived', () => {
    const { logger } = capturingLogger();

    const next = withPaymentResult(
      recordWith({}, { payment: 'REQUESTED' }),
      result({ processorReference: 'ch_1' }),
      now,
      logger,
    );

    expect(next?.saga).toMatchObject({
      payment: 'AUTHORIZED',
      processorReference: 'ch_1',
      paymentResultAt: now.toISOString(),
    });
    expect(next?.updatedAt).toBe('2031-03-01T09:00:00.000Z');
  });

  it('when it arrives before the request was recorded as sent, then it is recorded all the same', () => {
    const { logger } = capturingLogger();

    const next = withPaymentResult(recordWith(), result({ outcome: 'DECLINED', reason: 'card_declined' }), now, logger);

    expect(next?.saga).toMatchObject({ payment: 'DECLINED', paymentReason: 'card_declined' });
  });

  it('when it arrives after the booking was cancelled, then it is recorded without touching what the API shows', () => {
    const { logger } = capturingLogger();
    const cancelled = recordWith({ status: 'CANCELLED', cancellationReason: 'late' }, { payment: 'REQUESTED' });

    const next = withPaymentResult(cancelled, result({}), now, logger);

    expect(next).toMatchObject({ status: 'CANCELLED', cancellationReason: 'late', saga: { payment: 'AUTHORIZED' } });
  });

  it('when the same answer comes again, then nothing changes', () => {
    const { logger, entries } = capturingLogger();

    expect(withPaymentResult(recordWith({}, { payment: 'AUTHORIZED' }), result({}), now, logger)).toBeUndefined();
    expect(entries).toEqual([]);
  });

  it('when a different answer follows the first, then the first stands and a warning is logged', () => {
    const { logger, entries } = capturingLogger();

    expect(
      withPaymentResult(recordWith({}, { payment: 'AUTHORIZED' }), result({ outcome: 'DECLINED' }), now, logger),
    ).toBeUndefined();
    expect(entries).toEqual([expect.objectContaining({ level: 'warn', bookingId: 'b1' })]);
  });

  it('when REFUNDED answers the refund, then the refund is recorded; a second answer changes nothing', () => {
    const { logger } = capturingLogger();
    const refunded = result({ idempotencyKey: 'b1:refund', outcome: 'REFUNDED' });

    const next = withPaymentResult(recordWith({}, { refund: 'REQUESTED' }), refunded, now, logger);

    expect(next?.saga.refund).toBe('REFUNDED');
    expect(withPaymentResult(next!, refunded, now, logger)).toBeUndefined();
  });

  it('when the refund is declined, then it is recorded FAILED and logged as an error for a person', () => {
    const { logger, entries } = capturingLogger();

    const next = withPaymentResult(
      recordWith({}, { refund: 'REQUESTED' }),
      result({ idempotencyKey: 'b1:refund', outcome: 'DECLINED', reason: 'no_authorization' }),
      now,
      logger,
    );

    expect(next?.saga.refund).toBe('FAILED');
    expect(entries).toEqual([expect.objectContaining({ level: 'error', reason: 'no_authorization' })]);
  });

  it.each([
    ['another idempotency key', { idempotencyKey: 'b2:authorize' }],
    ['REFUNDED for the authorization', { outcome: 'REFUNDED' as const }],
    ['AUTHORIZED for the refund', { idempotencyKey: 'b1:refund' }],
  ])('when the result carries %s, then it is ignored with a warning', (_case, changes) => {
    const { logger, entries } = capturingLogger();

    expect(withPaymentResult(recordWith(), result(changes), now, logger)).toBeUndefined();
    expect(entries.map((entry) => entry.level)).toEqual(['warn']);
  });
});
