import type { BookingEvent, DeclineRequest, PaymentRequest, PaymentResult } from '@sitter/contracts';
import { support, startSystem, type System } from '../support/system';

let system: System;

beforeAll(async () => {
  system = await startSystem();
});

afterAll(async () => {
  await system.stop();
});

const forBooking = <T extends { bookingId: string }>(messages: T[], id: string) =>
  messages.filter((message) => message.bookingId === id);

describe('processBooking, then payment authorized', () => {
  it('when a parent books with tok_visa, then the answer is UNCONFIRMED and shows only the masked token', async () => {
    const { owner, jobId, nannies, applicationIds } = await system.jobWithApplicants(1, '120.50');

    const response = await system.book(owner, { jobId, applicationId: applicationIds[0], paymentToken: 'tok_visa' });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.any(String),
      status: 'UNCONFIRMED',
      jobId,
      applicationId: applicationIds[0],
      customer: owner.username,
      nanny: nannies[0].username,
      amount: '120.50',
      currency: 'GBP',
      maskedPaymentToken: 'tok_…isa',
      bookingReference: null,
      cancellationReason: null,
      createdAt: '2031-03-01T09:00:00.000Z',
      updatedAt: '2031-03-01T09:00:00.000Z',
    });
    expect(response.text).not.toContain('tok_visa');
  });

  it('when the flow has run, then the booking is CONFIRMED with a reference, the job closed and the others declined', async () => {
    const { owner, jobId, nannies, applicationIds } = await system.jobWithApplicants(3);

    const booked = await system.bookOk(owner, { jobId, applicationId: applicationIds[1], paymentToken: 'tok_visa' });
    await system.settle();

    const read = await system.read(owner, booked.id);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      id: booked.id,
      status: 'CONFIRMED',
      nanny: nannies[1].username,
      bookingReference: expect.stringMatching(/^[A-HJ-NP-Z2-9]{6}$/),
      cancellationReason: null,
    });
    expect(await system.jobStatus(jobId)).toBe('CLOSED');
    expect(await system.applicationStatuses(owner, jobId)).toEqual({
      [applicationIds[0]]: 'DECLINED',
      [applicationIds[1]]: 'ACCEPTED',
      [applicationIds[2]]: 'DECLINED',
    });
  });

  it('when confirmed, then one authorization of the exact job cost was requested, keyed and idempotent', async () => {
    const { owner, jobId, applicationIds } = await system.jobWithApplicants(1, '99.99');

    const booked = await system.bookOk(owner, { jobId, applicationId: applicationIds[0], paymentToken: 'tok_visa' });
    await system.settle();

    expect(forBooking(system.messages<PaymentRequest>('payments.requests'), booked.id)).toEqual([
      {
        version: 1,
        type: 'AUTHORIZE',
        bookingId: booked.id,
        idempotencyKey: `${booked.id}:authorize`,
        amount: '99.99',
        currency: 'GBP',
        paymentToken: 'tok_visa',
        requestedAt: '2031-03-01T09:00:00.000Z',
      },
    ]);
    expect(forBooking(system.messages<PaymentResult>('payments.results'), booked.id)).toEqual([
      expect.objectContaining({ outcome: 'AUTHORIZED', idempotencyKey: `${booked.id}:authorize` }),
    ]);
  });

  it('when confirmed, then BookingRequested and BookingConfirmed are published once each, with the reference', async () => {
    const { owner, jobId, applicationIds } = await system.jobWithApplicants(1);

    const booked = await system.bookOk(owner, { jobId, applicationId: applicationIds[0], paymentToken: 'tok_visa' });
    await system.settle();

    const reference = (await system.record(booked.id))?.bookingReference;
    const events = forBooking(system.messages<BookingEvent>('bookings.events'), booked.id);
    expect(events.map((event) => event.type)).toEqual(['BookingRequested', 'BookingConfirmed']);
    expect(events[1]).toEqual({
      version: 1,
      type: 'BookingConfirmed',
      eventId: `${booked.id}:BookingConfirmed`,
      bookingId: booked.id,
      jobId,
      applicationId: applicationIds[0],
      customer: owner.username,
      nanny: expect.any(String),
      bookingReference: reference,
      occurredAt: expect.any(String),
    });
  });

  it('when confirmed, then one decline request per other pending application goes out, keyed by job', async () => {
    const { owner, jobId, applicationIds } = await system.jobWithApplicants(3);

    await system.bookOk(owner, { jobId, applicationId: applicationIds[0], paymentToken: 'tok_mastercard' });
    await system.settle();

    const declines = system.messages<DeclineRequest>('job-applications.declines').filter((d) => d.jobId === jobId);
    expect(declines.map((decline) => decline.applicationId).sort()).toEqual(
      [applicationIds[1], applicationIds[2]].sort(),
    );
    expect(declines.every((decline) => decline.reason === 'another nanny was booked')).toBe(true);
  });

  it('when confirmed, then the stored token is gone, the job claim stays and the booking is off the due list', async () => {
    const { owner, jobId, applicationIds } = await system.jobWithApplicants(1);

    const booked = await system.bookOk(owner, { jobId, applicationId: applicationIds[0], paymentToken: 'tok_visa' });
    await system.settle();

    expect(await system.stateOf('booking', `booking-payment-token:${booked.id}`)).toBeUndefined();
    expect(await system.stateOf('booking', `booking-job-claim:${jobId}`)).toEqual({ bookingId: booked.id });
    const record = await system.record(booked.id);
    expect(await system.stateOf('booking', `booking-reference:${record?.bookingReference}`)).toEqual({
      bookingId: booked.id,
    });
    const store = await system.runtime.stateStore('booking');
    const due = await store.getBulk<{ entries: Array<{ id: string }> }>(
      Array.from({ length: 16 }, (_, bucket) => `bookings-due:${bucket}`),
    );
    expect([...due.values()].flatMap((bucket) => bucket.value.entries).map((entry) => entry.id)).not.toContain(
      booked.id,
    );
  });

  it('when the customer, the booked nanny or an admin reads it, then they see it; another nanny is FORBIDDEN', async () => {
    const { owner, jobId, nannies, applicationIds } = await system.jobWithApplicants(2);
    const booked = await system.bookOk(owner, { jobId, applicationId: applicationIds[0], paymentToken: 'tok_visa' });
    await system.settle();

    for (const reader of [owner, nannies[0], support]) {
      const response = await system.read(reader, booked.id);
      expect(response.status).toBe(200);
      expect(response.body.id).toBe(booked.id);
    }
    const stranger = await system.read(nannies[1], booked.id);
    expect(stranger.status).toBe(403);
    expect(stranger.body.code).toBe('FORBIDDEN');
  });

  it('when the job claim names a booking that does not exist, then it does not block the job', async () => {
    const { owner, jobId, applicationIds } = await system.jobWithApplicants(1);
    await (await system.runtime.stateStore('booking')).save(`booking-job-claim:${jobId}`, { bookingId: 'vanished' });

    const booked = await system.bookOk(owner, { jobId, applicationId: applicationIds[0], paymentToken: 'tok_visa' });
    await system.settle();

    expect((await system.read(owner, booked.id)).body.status).toBe('CONFIRMED');
    expect(await system.stateOf('booking', `booking-job-claim:${jobId}`)).toEqual({ bookingId: booked.id });
  });

  it('when the booking does not exist, then 404 NOT_FOUND', async () => {
    const response = await system.read(support, 'no-such-booking');

    expect(response.status).toBe(404);
    expect(response.body.code).toBe('NOT_FOUND');
  });
});
