import { PaymentRequestSchema, PaymentResultSchema, readMessage } from '../src';

const authorization = {
  version: 1,
  type: 'AUTHORIZE',
  bookingId: 'booking-1',
  idempotencyKey: 'booking-1:authorize',
  amount: '120.00',
  currency: 'GBP',
  paymentToken: 'tok_visa',
  requestedAt: '2031-03-01T09:00:00.120Z',
};

const refund = {
  version: 1,
  type: 'REFUND',
  bookingId: 'booking-1',
  idempotencyKey: 'booking-1:refund',
  authorizationKey: 'booking-1:authorize',
  amount: '120.00',
  currency: 'GBP',
  requestedAt: '2031-03-01T10:30:00.000Z',
};

const result = {
  version: 1,
  bookingId: 'booking-1',
  idempotencyKey: 'booking-1:authorize',
  outcome: 'AUTHORIZED',
  processedAt: '2031-03-01T09:00:00.350Z',
};

describe('PaymentRequestSchema (payments.requests)', () => {
  it.each([
    ['an authorization', authorization],
    ['a refund', refund],
  ])('when the message is %s as documented, then it is read', (_name, message) => {
    expect(readMessage(PaymentRequestSchema, message)).toEqual({ ok: true, message });
  });

  it.each([
    ['a float amount', { ...authorization, amount: '120.001' }, 'amount: must be a decimal amount like 120.00'],
    ['a lower-case currency', { ...refund, currency: 'gbp' }, 'currency: must be an ISO 4217 code like GBP'],
    ['a field the contract does not have', { ...authorization, note: 'x' }, 'Unrecognized key: "note"'],
    ['an unknown type', { ...authorization, type: 'CAPTURE' }, 'type:'],
  ])('when the message has %s, then it is refused', (_name, message, problem) => {
    const read = readMessage(PaymentRequestSchema, message);

    expect(read.ok ? '' : read.problems.join('; ')).toContain(problem);
  });
});

describe('PaymentResultSchema (payments.results)', () => {
  it('when a declined result gives a reason, then it is read with it', () => {
    const declined = { ...result, outcome: 'DECLINED', reason: 'card_declined' };

    expect(readMessage(PaymentResultSchema, declined)).toEqual({ ok: true, message: declined });
  });

  it('when the outcome is not one of the three, then the problem names the field', () => {
    const read = readMessage(PaymentResultSchema, { ...result, outcome: 'MAYBE' });

    expect(read.ok ? [] : read.problems.map((problem) => problem.split(':')[0])).toEqual(['outcome']);
  });
});
