import type { BookingEvent, PaymentRequest, PaymentResult } from '@sitter/contracts';
import { MINUTE } from '../support/clock';
import { startSystem, support, type System } from '../support/system';

let system: System;

beforeAll(async () => {
  system = await startSystem();
});

afterAll(async () => {
  await system.stop();
});

const eventTypes = (id: string) =>
  system
    .messages<BookingEvent>('bookings.events')
    .filter((event) => event.bookingId === id)
    .map((event) => event.type);

const paymentRequests = (id: string) =>
  system.messages<PaymentRequest>('payments.requests').filter((message) => message.bookingId === id);

describe('when the payment is declined', () => {
  it('then the booking ends CANCELLED with the reason and the job and application are as before', async () => {
    const { owner, jobId, applicationIds } = await system.jobWithApplicants(2);

    const booked = await system.bookOk(owner, {
      jobId,
      applicationId: applicationIds[0],
      paymentToken: 'tok_chargeDeclined',
    });
    await system.settle();

    expect((await system.read(owner, booked.id)).body).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'payment declined: card_declined',
      bookingReference: null,
    });
    expect(await system.jobStatus(jobId)).toBe('OPEN');
    expect(await system.applicationStatuses(owner, jobId)).toEqual({
      [applicationIds[0]]: 'PENDING',
      [applicationIds[1]]: 'PENDING',
    });
  });

  it('then the job claim is released, no refund is asked for and BookingCancelled is published', async () => {
    const { owner, jobId, applicationIds } = await system.jobWithApplicants(1);

    const booked = await system.bookOk(owner, {
      jobId,
      applicationId: applicationIds[0],
      paymentToken: 'tok_chargeDeclinedInsufficientFunds',
    });
    await system.settle();

    expect(await system.stateOf('booking', `booking-job-claim:${jobId}`)).toBeUndefined();
    expect(paymentRequests(booked.id).map((request) => request.type)).toEqual(['AUTHORIZE']);
    expect(eventTypes(booked.id)).toEqual(['BookingRequested', 'BookingCancelled']);
    expect(system.messages<BookingEvent>('bookings.events').at(-1)).toMatchObject({
      cancellationReason: 'payment declined: insufficient_funds',
    });
  });

  it('then the parent can book the reopened job again and that booking is CONFIRMED', async () => {
    const { owner, jobId, applicationIds } = await system.jobWithApplicants(1);
    await system.bookOk(owner, { jobId, applicationId: applicationIds[0], paymentToken: 'tok_chargeDeclined' });
    await system.settle();

    const retried = await system.bookOk(owner, { jobId, applicationId: applicationIds[0], paymentToken: 'tok_visa' });
    await system.settle();

    expect((await system.read(owner, retried.id)).body.status).toBe('CONFIRMED');
    expect(await system.jobStatus(jobId)).toBe('CLOSED');
  });
});

describe('when the payment partner never answers', () => {
  it('then the booking waits UNCONFIRMED with the job reserved until the deadline', async () => {
    const { owner, jobId, applicationIds } = await system.jobWithApplicants(1);

    const booked = await system.bookOk(owner, { jobId, applicationId: applicationIds[0], paymentToken: 'tok_timeout' });
    await system.settle();
    system.clock.advance(14 * MINUTE);
    await system.sweep();

    expect((await system.read(owner, booked.id)).body.status).toBe('UNCONFIRMED');
    expect(await system.jobStatus(jobId)).toBe('CLOSED');
    system.clock.advance(2 * MINUTE);
  });

  it('then after the 15-minute deadline the scheduler cancels it and reopens the job', async () => {
    const { owner, jobId, applicationIds } = await system.jobWithApplicants(1);
    const booked = await system.bookOk(owner, { jobId, applicationId: applicationIds[0], paymentToken: 'tok_timeout' });
    await system.settle();

    system.clock.advance(15 * MINUTE);
    await system.sweep();

    expect((await system.read(owner, booked.id)).body).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'no payment result before the booking deadline',
    });
    expect(await system.jobStatus(jobId)).toBe('OPEN');
    expect(await system.applicationStatuses(owner, jobId)).toEqual({ [applicationIds[0]]: 'PENDING' });
    expect(eventTypes(booked.id)).toEqual(['BookingRequested', 'BookingCancelled']);
  });
});

describe('when the job cannot be reserved', () => {
  it('then a booking of an already booked job ends CANCELLED: the job is already booked', async () => {
    const { owner, jobId, applicationIds } = await system.jobWithApplicants(2);
    const first = await system.bookOk(owner, { jobId, applicationId: applicationIds[0], paymentToken: 'tok_visa' });
    await system.settle();

    const second = await system.bookOk(owner, { jobId, applicationId: applicationIds[1], paymentToken: 'tok_visa' });
    await system.settle();

    expect((await system.read(owner, second.id)).body).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'the job is already booked',
    });
    expect(paymentRequests(second.id)).toEqual([]);
    expect((await system.read(owner, first.id)).body.status).toBe('CONFIRMED');
    expect(await system.stateOf('booking', `booking-job-claim:${jobId}`)).toEqual({ bookingId: first.id });
    expect(await system.jobStatus(jobId)).toBe('CLOSED');
  });

  it('then an application no longer pending ends the booking CANCELLED with the job service reason', async () => {
    const { owner, jobId, applicationIds } = await system.jobWithApplicants(1);
    await system.runtime.broker.publisherFor('partner').publish('job-applications.declines', {
      version: 1,
      applicationId: applicationIds[0],
      jobId,
      reason: 'withdrawn',
      source: 'partner',
      requestedAt: '2031-03-01T00:00:00.000Z',
    });
    await system.settle();

    const booked = await system.bookOk(owner, { jobId, applicationId: applicationIds[0], paymentToken: 'tok_visa' });
    await system.settle();

    expect((await system.read(owner, booked.id)).body).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'application is not pending',
    });
    expect(await system.stateOf('booking', `booking-job-claim:${jobId}`)).toBeUndefined();
    expect(await system.jobStatus(jobId)).toBe('OPEN');
  });

  it('then of 8 concurrent bookings of one job exactly one is CONFIRMED and the rest CANCELLED with a reason', async () => {
    const { owner, jobId, applicationIds } = await system.jobWithApplicants(8);

    const booked = await Promise.all(
      applicationIds.map((applicationId) => system.bookOk(owner, { jobId, applicationId, paymentToken: 'tok_visa' })),
    );
    await system.settle();

    const final = await Promise.all(booked.map(async (booking) => (await system.read(owner, booking.id)).body));
    const confirmed = final.filter((booking) => booking.status === 'CONFIRMED');
    const cancelled = final.filter((booking) => booking.status === 'CANCELLED');
    expect(confirmed).toHaveLength(1);
    expect(cancelled).toHaveLength(7);
    for (const booking of cancelled) {
      expect(['another booking of this job is in progress', 'the job is already booked']).toContain(
        booking.cancellationReason,
      );
    }
    const statuses = Object.values(await system.applicationStatuses(owner, jobId));
    expect(statuses.filter((status) => status === 'ACCEPTED')).toHaveLength(1);
    expect(statuses.filter((status) => status === 'DECLINED')).toHaveLength(7);
    const authorizations = booked.flatMap((booking) => paymentRequests(booking.id));
    expect(authorizations.map((request) => request.bookingId)).toEqual([confirmed[0].id]);
  });
});

describe('cancelBooking', () => {
  const confirmedBooking = async () => {
    const { owner, jobId, nannies, applicationIds } = await system.jobWithApplicants(2);
    const booked = await system.bookOk(owner, { jobId, applicationId: applicationIds[0], paymentToken: 'tok_visa' });
    await system.settle();
    return { owner, jobId, nannies, applicationIds, id: booked.id };
  };

  it('when the customer cancels a CONFIRMED booking, then CANCELLED with the reason, job reopened and a refund made', async () => {
    const { owner, jobId, applicationIds, id } = await confirmedBooking();
    system.clock.advance(MINUTE);

    const response = await system.cancel(owner, id, { reason: 'plans changed' });
    await system.settle();

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id, status: 'CANCELLED', cancellationReason: 'plans changed' });
    expect(response.body.updatedAt).toBe(system.clock.now().toISOString());
    expect(await system.jobStatus(jobId)).toBe('OPEN');
    expect((await system.applicationStatuses(owner, jobId))[applicationIds[0]]).toBe('PENDING');
    expect(paymentRequests(id)).toEqual([
      expect.objectContaining({ type: 'AUTHORIZE' }),
      expect.objectContaining({ type: 'REFUND', authorizationKey: `${id}:authorize`, idempotencyKey: `${id}:refund` }),
    ]);
    const results = system.messages<PaymentResult>('payments.results').filter((result) => result.bookingId === id);
    expect(results.map((result) => result.outcome)).toEqual(['AUTHORIZED', 'REFUNDED']);
    expect((await system.record(id))?.saga.refund).toBe('REFUNDED');
    expect(eventTypes(id)).toEqual(['BookingRequested', 'BookingConfirmed', 'BookingCancelled']);
  });

  it('when an admin cancels without a reason, then the reason says so', async () => {
    const { id } = await confirmedBooking();

    const response = await system.cancel(support, id);

    expect(response.status).toBe(200);
    expect(response.body.cancellationReason).toBe('cancelled by an admin');
  });

  it('when the customer cancels an UNCONFIRMED booking, then the job reopens and nothing is refunded', async () => {
    const { owner, jobId, applicationIds } = await system.jobWithApplicants(1);
    const booked = await system.bookOk(owner, { jobId, applicationId: applicationIds[0], paymentToken: 'tok_timeout' });
    await system.settle();

    const response = await system.cancel(owner, booked.id);
    await system.settle();

    expect(response.body).toMatchObject({ status: 'CANCELLED', cancellationReason: 'cancelled by the customer' });
    expect(await system.jobStatus(jobId)).toBe('OPEN');
    expect(paymentRequests(booked.id).map((request) => request.type)).toEqual(['AUTHORIZE']);
  });

  it.each([
    ['the booked nanny', 'FORBIDDEN', 403],
    ['another parent', 'FORBIDDEN', 403],
  ])('when %s cancels, then %s and the booking stays CONFIRMED', async (who, code, status) => {
    const { owner, nannies, id } = await confirmedBooking();
    const actor = who === 'the booked nanny' ? nannies[0] : await system.person('PARENT');

    const response = await system.cancel(actor, id);

    expect(response.status).toBe(status);
    expect(response.body.code).toBe(code);
    expect((await system.read(owner, id)).body.status).toBe('CONFIRMED');
  });

  it('when the booking is already cancelled, then 409 CONFLICT and the first reason stands', async () => {
    const { owner, id } = await confirmedBooking();
    await system.cancel(owner, id, { reason: 'first' });

    const response = await system.cancel(owner, id, { reason: 'second' });

    expect(response.status).toBe(409);
    expect((await system.read(owner, id)).body.cancellationReason).toBe('first');
  });

  it('when the booking does not exist, then 404 NOT_FOUND', async () => {
    const response = await system.cancel(support, 'no-such-booking');

    expect(response.status).toBe(404);
  });

  it('when the reason is not a string, then 400 BAD_USER_INPUT naming it', async () => {
    const { owner, id } = await confirmedBooking();

    const response = await system.cancel(owner, id, { reason: 42 });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
  });
});
