import { randomUUID } from 'node:crypto';
import type { PaymentRequest, PaymentResult } from '@sitter/contracts';
import { EmbeddedRuntime } from '@sitter/embedded-runtime';
import { createLogger } from '@sitter/platform';
import { createPaymentsSandboxApp, PAYMENTS_SANDBOX_APP_ID, type StoredDecision } from '../src';

/** The sandbox in an embedded runtime, with a test app publishing requests and recording results. */
const setup = async (answerDelayMs?: number) => {
  const entries: Array<Record<string, unknown>> = [];
  const logger = createLogger('sandbox-test', 'debug');
  for (const transport of logger.transports) transport.silent = true;
  logger.on('data', (info: Record<string, unknown>) => entries.push(info));
  const runtime = new EmbeddedRuntime({ logger, retry: { maxAttempts: 2, initialBackoffMs: 1, maxBackoffMs: 2 } });
  const clock = { now: () => new Date('2031-03-01T09:00:00.000Z') };
  runtime.register(
    PAYMENTS_SANDBOX_APP_ID,
    createPaymentsSandboxApp({ ...(await runtime.sidecar(PAYMENTS_SANDBOX_APP_ID)), logger, clock, answerDelayMs }),
  );
  const results: PaymentResult[] = [];
  const deadLetters: unknown[] = [];
  const observer = runtime.broker.subscriberFor('booking');
  observer.subscribe<PaymentResult>('payments.results', async (message) => {
    results.push(message.data);
  });
  observer.subscribe('payments.requests.dlq', async (message) => {
    deadLetters.push(message.data);
  });
  const publisher = runtime.broker.publisherFor('booking');
  const send = async (request: unknown) => {
    await publisher.publish('payments.requests', request, { rawPayload: true });
    await runtime.broker.drain();
  };
  const decision = async (key: string) =>
    (await (await runtime.stateStore(PAYMENTS_SANDBOX_APP_ID)).get<StoredDecision>(`payment:${key}`))?.value;
  return { runtime, results, deadLetters, send, decision, entries };
};

const authorize = (paymentToken: string, bookingId = randomUUID()): PaymentRequest => ({
  version: 1,
  type: 'AUTHORIZE',
  bookingId,
  idempotencyKey: `${bookingId}:authorize`,
  amount: '80.00',
  currency: 'GBP',
  paymentToken,
  requestedAt: '2031-03-01T09:00:00.000Z',
});

const refund = (bookingId: string): PaymentRequest => ({
  version: 1,
  type: 'REFUND',
  bookingId,
  idempotencyKey: `${bookingId}:refund`,
  authorizationKey: `${bookingId}:authorize`,
  amount: '80.00',
  currency: 'GBP',
  requestedAt: '2031-03-01T09:01:00.000Z',
});

describe('payments sandbox', () => {
  it.each(['tok_visa', 'tok_mastercard', 'tok_amex'])(
    'when %s is charged, then AUTHORIZED with a reference',
    async (token) => {
      const { send, results } = await setup();
      const request = authorize(token);

      await send(request);

      expect(results).toEqual([
        {
          version: 1,
          bookingId: request.bookingId,
          idempotencyKey: request.idempotencyKey,
          outcome: 'AUTHORIZED',
          processorReference: expect.stringMatching(/^ch_[0-9a-f]{16}$/),
          processedAt: '2031-03-01T09:00:00.000Z',
        },
      ]);
    },
  );

  it.each([
    ['tok_chargeDeclined', 'card_declined'],
    ['tok_chargeDeclinedInsufficientFunds', 'insufficient_funds'],
    ['tok_chargeDeclinedExpiredCard', 'expired_card'],
    ['tok_unheard_of', 'invalid_token'],
  ])('when %s is charged, then DECLINED with %s', async (token, reason) => {
    const { send, results } = await setup();

    await send(authorize(token));

    expect(results).toEqual([expect.objectContaining({ outcome: 'DECLINED', reason })]);
  });

  it('when tok_timeout is charged, then no answer ever comes, and the decision not to answer is kept', async () => {
    const { send, results, decision } = await setup();
    const request = authorize('tok_timeout');

    await send(request);
    await send(request);

    expect(results).toEqual([]);
    expect(await decision(request.idempotencyKey)).toEqual({ outcome: 'NONE' });
  });

  it('when the same request comes twice, then the same answer is published twice and it is charged once', async () => {
    const { send, results, entries } = await setup();
    const request = authorize('tok_visa');

    await send(request);
    await send(request);

    expect(results).toHaveLength(2);
    expect(results[1]).toEqual(results[0]);
    expect(entries.filter((entry) => entry.message === 'payment request decided')).toHaveLength(1);
  });

  it('when an authorized payment is refunded, then REFUNDED; a refund of nothing is DECLINED', async () => {
    const { send, results } = await setup();
    const paid = authorize('tok_visa');
    const declined = authorize('tok_chargeDeclined');
    await send(paid);
    await send(declined);

    await send(refund(paid.bookingId));
    await send(refund(declined.bookingId));

    expect(results.slice(2)).toEqual([
      expect.objectContaining({
        bookingId: paid.bookingId,
        outcome: 'REFUNDED',
        processorReference: expect.stringMatching(/^re_/),
      }),
      expect.objectContaining({ bookingId: declined.bookingId, outcome: 'DECLINED', reason: 'no_authorization' }),
    ]);
  });

  it('when an answer delay is set, then each request is logged as received at once and answered only after the delay', async () => {
    const { send, results, entries } = await setup(300);
    const request = authorize('tok_visa');
    const startedAt = Date.now();

    await send(request);

    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(300);
    expect(results).toEqual([expect.objectContaining({ bookingId: request.bookingId, outcome: 'AUTHORIZED' })]);
    expect(entries.filter((entry) => entry.message === 'payment request received')).toEqual([
      expect.objectContaining({
        bookingId: request.bookingId,
        type: 'AUTHORIZE',
        idempotencyKey: request.idempotencyKey,
      }),
    ]);
  });

  it('when the amount is not a decimal, then DECLINED invalid_amount', async () => {
    const { send, results } = await setup();

    await send({ ...authorize('tok_visa'), amount: '80,00' });

    expect(results).toEqual([expect.objectContaining({ outcome: 'DECLINED', reason: 'invalid_amount' })]);
  });

  it('when a request is malformed, then it is dead-lettered and not answered', async () => {
    const { send, results, deadLetters } = await setup();

    await send({ type: 'AUTHORIZE', bookingId: 'b1' });

    expect(results).toEqual([]);
    expect(deadLetters).toEqual([{ type: 'AUTHORIZE', bookingId: 'b1' }]);
  });

  it('when requests are handled, then no log line carries the token', async () => {
    const { send, entries } = await setup();

    for (const token of ['tok_visa', 'tok_chargeDeclined', 'tok_timeout']) await send(authorize(token));
    await send({ ...authorize('tok_visa'), currency: 'pounds' });

    expect(entries.length).toBeGreaterThan(3);
    const text = entries.map((entry) => JSON.stringify(entry)).join('\n');
    expect(text).not.toMatch(/tok_/);
  });
});
