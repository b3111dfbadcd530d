import { retryOnConflict } from '@sitter/ports';
import { PaymentResultSchema, readMessage, type PaymentResult } from '@sitter/contracts';
import { paymentKeys, type BookingRecord } from './booking';
import type { BookingContext } from './context';
import type { Log } from './ports';
import type { AdvanceBooking } from './saga';
import { withSaga } from './transitions';

export class MalformedMessageError extends Error {
  constructor(topic: string, problem: string) {
    super(`malformed message on ${topic}: ${problem}`);
    this.name = 'MalformedMessageError';
  }
}

const parseResult = (data: unknown): PaymentResult => {
  const read = readMessage(PaymentResultSchema, data);
  if (read.ok) return read.message;
  throw new MalformedMessageError('payments.results', read.problems[0]);
};

/**
 * Records what the partner said as a fact of the saga, whatever state the booking is in; the saga's
 * rules then decide what it means (confirm, cancel, refund a late authorization). Undefined: the
 * result adds nothing (a duplicate, a contradiction of an earlier answer, an unknown request).
 */
export const withPaymentResult = (
  record: BookingRecord,
  result: PaymentResult,
  now: Date,
  log: Log,
): BookingRecord | undefined => {
  const keys = paymentKeys(record.id);
  const context = { bookingId: record.id, outcome: result.outcome };
  const { saga } = record;
  if (result.idempotencyKey === keys.authorize && result.outcome !== 'REFUNDED') {
    if (saga.payment === 'AUTHORIZED' || saga.payment === 'DECLINED') {
      if (saga.payment !== result.outcome)
        log.warn('payment result contradicts the first one; kept the first', context);
      return undefined;
    }
    return withSaga(record, {
      payment: result.outcome,
      paymentReason: result.reason,
      processorReference: result.processorReference,
      paymentResultAt: now.toISOString(),
    });
  }
  if (result.idempotencyKey === keys.refund && result.outcome !== 'AUTHORIZED') {
    const refund = result.outcome === 'REFUNDED' ? 'REFUNDED' : 'FAILED';
    if (saga.refund === 'REFUNDED' || saga.refund === 'FAILED') return undefined;
    if (refund === 'FAILED')
      log.error('refund declined by the payment partner; needs a person', { ...context, reason: result.reason });
    return withSaga(record, { refund });
  }
  log.warn('payment result answers no request of this booking; ignored', context);
  return undefined;
};

/** Consumes one message of `payments.results`; rejecting asks for redelivery (then the dead-letter topic). */
export const handlePaymentResult =
  (context: BookingContext, advance: AdvanceBooking) =>
  async (data: unknown): Promise<void> => {
    const result = parseResult(data);
    await context.leases.run(result.bookingId, () =>
      retryOnConflict('the booking', async () => {
        const entry = await context.repository.load(result.bookingId);
        if (!entry) throw new Error(`payment result for unknown booking ${result.bookingId}`);
        const next = withPaymentResult(entry.value, result, context.clock.now(), context.log);
        if (next) await context.repository.update(entry, next);
      }),
    );
    await advance(result.bookingId);
  };
