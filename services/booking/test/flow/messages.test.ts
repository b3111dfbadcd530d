import type { Publisher } from '@sitter/ports';
import type { BookingEvent, PaymentRequest } from '@sitter/contracts';
import { MINUTE } from '../support/clock';
import { startSystem, type System } from '../support/system';

/**
 * The test is the payment partner here (no sandbox): it sees the requests on payments.requests and
 * answers on payments.results whatever, whenever and as often as the case needs.
 */
let system: System;
/** BookingRequested publications for these booking ids are lost, as if the process died right after storing. */
const lostKicks = new Set<string>();

const losingKicks = (publisher: Publisher): Publisher => ({
  publish: async (topic, data, options) => {
    const event = data as Partial<BookingEvent>;
    if (event.type === 'BookingRequested' && lostKicks.has(String(event.bookingId))) throw new Error('lost');
    await publisher.publish(topic, data, options);
  },
});

let nextId = 0;
const ids: string[] = [];

beforeAll(async () => {
  system = await startSystem({
    sandbox: false,
    wrapPublisher: losingKicks,
    booking: { newId: () => ids.shift() ?? `booking-${process.pid}-${(nextId += 1)}` },
  });
});

afterAll(async () => {
  await system.stop();
});

const requestsFor = (id: string) =>
  system.messages<PaymentRequest>('payments.requests').filter((message) => message.bookingId === id);
const eventsFor = (id: string) =>
  system.messages<BookingEvent>('bookings.events').filter((event) => event.bookingId === id);

const awaitingPayment = async (paymentToken = 'tok_visa') => {
  const { owner, jobId, applicationIds } = await system.jobWithApplicants(2);
  const booked = await system.bookOk(owner, { jobId, applicationId: applicationIds[0], paymentToken });
  await system.settle();
  return { owner, jobId, applicationIds, id: booked.id };
};

const authorize = (id: string) =>
  system.answerPayment({
    bookingId: id,
    idempotencyKey: `${id}:authorize`,
    outcome: 'AUTHORIZED',
    processorReference: 'ch_1',
  });

describe('duplicated messages', () => {
  it('when the AUTHORIZED result arrives three times, then one confirmation, one event and one set of declines', async () => {
    const { owner, jobId, id } = await awaitingPayment();

    await authorize(id);
    const reference = (await system.read(owner, id)).body.bookingReference;
    await authorize(id);
    await authorize(id);

    expect((await system.read(owner, id)).body).toMatchObject({ status: 'CONFIRMED', bookingReference: reference });
    expect(eventsFor(id).map((event) => event.type)).toEqual(['BookingRequested', 'BookingConfirmed']);
    expect(
      system.messages<{ jobId: string }>('job-applications.declines').filter((d) => d.jobId === jobId),
    ).toHaveLength(1);
  });

  it('when BookingRequested is delivered again after confirmation, then nothing is reserved or charged again', async () => {
    const { owner, id } = await awaitingPayment();
    await authorize(id);
    const before = await system.record(id);

    await system.runtime.broker
      .publisherFor('booking')
      .publish('bookings.events', eventsFor(id)[0], { partitionKey: id, rawPayload: true });
    await system.settle();

    expect(await system.record(id)).toEqual(before);
    expect(requestsFor(id)).toHaveLength(1);
    expect((await system.read(owner, id)).body.status).toBe('CONFIRMED');
  });

  it('when a DECLINED result follows an AUTHORIZED one, then the first answer stands', async () => {
    const { owner, id } = await awaitingPayment();
    await authorize(id);

    await system.answerPayment({
      bookingId: id,
      idempotencyKey: `${id}:authorize`,
      outcome: 'DECLINED',
      reason: 'late',
    });

    expect((await system.read(owner, id)).body.status).toBe('CONFIRMED');
    expect(requestsFor(id).filter((request) => request.type === 'REFUND')).toEqual([]);
  });
});

describe('reordered messages', () => {
  it('when the payment result arrives before the saga asked for payment, then it is kept and the booking confirms without a second request', async () => {
    const id = `reordered-${process.pid}-${Date.now()}`;
    ids.push(id);
    lostKicks.add(id);
    const { owner, jobId, applicationIds } = await system.jobWithApplicants(1);
    await system.bookOk(owner, { jobId, applicationId: applicationIds[0], paymentToken: 'tok_visa' });
    await system.settle();
    expect((await system.record(id))?.saga.reservation).toBe('NONE');

    await authorize(id);

    expect((await system.read(owner, id)).body.status).toBe('CONFIRMED');
    expect(requestsFor(id)).toEqual([]);
    expect(await system.jobStatus(jobId)).toBe('CLOSED');
  });

  it('when a refund result arrives before the refund was recorded as asked, then it is kept and no refund is asked again', async () => {
    const { owner, id } = await awaitingPayment();
    await authorize(id);
    await system.answerPayment({ bookingId: id, idempotencyKey: `${id}:refund`, outcome: 'REFUNDED' });

    await system.cancel(owner, id);
    await system.settle();

    expect((await system.record(id))?.saga.refund).toBe('REFUNDED');
    expect(requestsFor(id).filter((request) => request.type === 'REFUND')).toEqual([]);
  });
});

describe('late messages', () => {
  it('when AUTHORIZED arrives after the deadline cancelled the booking, then nothing changes but a refund is requested', async () => {
    const { owner, jobId, id } = await awaitingPayment();
    system.clock.advance(16 * MINUTE);
    await system.sweep();
    const cancelled = (await system.read(owner, id)).body;
    expect(cancelled).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'no payment result before the booking deadline',
    });

    await authorize(id);

    expect((await system.read(owner, id)).body).toEqual(cancelled);
    expect(await system.jobStatus(jobId)).toBe('OPEN');
    expect(requestsFor(id).map((request) => request.type)).toEqual(['AUTHORIZE', 'REFUND']);
    expect(requestsFor(id)[1]).toMatchObject({ amount: '80.00', authorizationKey: `${id}:authorize` });
    expect(eventsFor(id).map((event) => event.type)).toEqual(['BookingRequested', 'BookingCancelled']);
  });

  it('when AUTHORIZED is recorded after the deadline but before the scheduler ran, then the booking is cancelled and refunded', async () => {
    const { owner, id } = await awaitingPayment();
    system.clock.advance(16 * MINUTE);

    await authorize(id);

    expect((await system.read(owner, id)).body).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'no payment result before the booking deadline',
    });
    expect(requestsFor(id).map((request) => request.type)).toEqual(['AUTHORIZE', 'REFUND']);
  });

  it('when DECLINED arrives after the customer cancelled, then nothing changes and nothing is refunded', async () => {
    const { owner, id } = await awaitingPayment();
    const cancelled = (await system.cancel(owner, id)).body;
    await system.settle();

    await system.answerPayment({
      bookingId: id,
      idempotencyKey: `${id}:authorize`,
      outcome: 'DECLINED',
      reason: 'card_declined',
    });

    expect((await system.read(owner, id)).body).toEqual(cancelled);
    expect(requestsFor(id).map((request) => request.type)).toEqual(['AUTHORIZE']);
  });
});

describe('unreadable messages', () => {
  it('when a payment result is malformed, then it is dead-lettered and no booking changes', async () => {
    const { id } = await awaitingPayment();
    const before = await system.record(id);

    await system.runtime.broker
      .publisherFor('partner')
      .publish('payments.results', { bookingId: id, outcome: 'MAYBE' }, { rawPayload: true });
    await system.settle();

    expect(system.messages('payments.results.dlq')).toContainEqual({ bookingId: id, outcome: 'MAYBE' });
    expect(await system.record(id)).toEqual(before);
  });

  it('when a payment result names an unknown booking, then it is dead-lettered', async () => {
    await system.answerPayment({
      bookingId: 'nobody-booked-this',
      idempotencyKey: 'x:authorize',
      outcome: 'AUTHORIZED',
    });

    expect(system.messages<{ bookingId: string }>('payments.results.dlq').map((m) => m.bookingId)).toContain(
      'nobody-booked-this',
    );
  });

  it('when a result answers no request of the booking, then it is ignored', async () => {
    const { id } = await awaitingPayment();
    const before = await system.record(id);

    await system.answerPayment({ bookingId: id, idempotencyKey: 'someone-else:authorize', outcome: 'AUTHORIZED' });

    expect(await system.record(id)).toEqual(before);
  });
});
