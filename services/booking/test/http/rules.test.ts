import { Topics } from '@sitter/contracts';
import { startSystem, support, type System } from '../support/system';

let system: System;

beforeAll(async () => {
  system = await startSystem();
});

afterAll(async () => {
  await system.stop();
});

describe('POST /bookings: a nanny who is not active cannot be booked', () => {
  it('when the nanny was deactivated after applying, then 409 CONFLICT and nothing is written anywhere', async () => {
    const { owner, jobId, nannies, applicationIds } = await system.jobWithApplicants(1);
    await system.deactivate(nannies[0]);
    const requestedBefore = system.messages(Topics.bookingEvents).length;

    const response = await system.book(owner, { jobId, applicationId: applicationIds[0], paymentToken: 'tok_visa' });
    await system.settle();

    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/nanny's account/) });
    expect(await system.jobStatus(jobId)).toBe('OPEN');
    expect(await system.applicationStatuses(owner, jobId)).toEqual({ [applicationIds[0]]: 'PENDING' });
    expect(await system.stateOf('booking', `booking-job-claim:${jobId}`)).toBeUndefined();
    for (const status of ['UNCONFIRMED', 'CONFIRMED', 'CANCELLED']) {
      expect((await system.list(owner, { customer: owner.username, status })).body.items).toEqual([]);
    }
    expect(system.messages(Topics.bookingEvents)).toHaveLength(requestedBefore);
  });

  it('when another applicant of the same job is active, then that one can still be booked', async () => {
    const { owner, jobId, nannies, applicationIds } = await system.jobWithApplicants(2);
    await system.deactivate(nannies[0]);

    const refused = await system.book(owner, { jobId, applicationId: applicationIds[0], paymentToken: 'tok_visa' });
    const booked = await system.book(owner, { jobId, applicationId: applicationIds[1], paymentToken: 'tok_visa' });

    expect(refused.status).toBe(409);
    expect(booked.status).toBe(201);
  });
});

describe('booking routes: ids, text and usernames', () => {
  it.each([
    ['an empty jobId', { jobId: '' }, 'jobId'],
    ['a jobId with a slash', { jobId: 'a/b' }, 'jobId'],
    ['a dot-dot applicationId', { applicationId: '..' }, 'applicationId'],
    ['an over-long applicationId', { applicationId: 'a'.repeat(65) }, 'applicationId'],
  ])('when the body holds %s, then 400 naming it', async (_label, overrides, field) => {
    const owner = await system.person('PARENT');

    const response = await system.book(owner, {
      jobId: 'j1',
      applicationId: 'a1',
      paymentToken: 'tok_visa',
      ...overrides,
    });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('when a cancellation reason holds control or bidi characters, then 400 on reason and the booking is unchanged', async () => {
    const { owner, jobId, applicationIds } = await system.jobWithApplicants(1);
    const booking = await system.bookOk(owner, { jobId, applicationId: applicationIds[0], paymentToken: 'tok_visa' });
    await system.settle();

    const escape = await system.cancel(owner, booking.id, { reason: 'oops\u001b[2J' });
    const override = await system.cancel(owner, booking.id, { reason: 'changed \u202Eplans' });

    expect([escape.status, override.status]).toEqual([400, 400]);
    expect(escape.body).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    expect(override.body).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    expect((await system.read(owner, booking.id)).body.status).toBe('CONFIRMED');
  });

  it('when a reason spans lines, then it is kept as written', async () => {
    const { owner, jobId, applicationIds } = await system.jobWithApplicants(1);
    const booking = await system.bookOk(owner, { jobId, applicationId: applicationIds[0], paymentToken: 'tok_visa' });

    const response = await system.cancel(owner, booking.id, { reason: 'We moved.\nSorry!' });

    expect(response.status).toBe(200);
    expect(response.body.cancellationReason).toBe('We moved.\nSorry!');
  });

  it('when a booking id in the path is malformed, then 400 naming id', async () => {
    const response = await system.read(support, '..');

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });

  it('when the customer is named in upper case, then the same bookings are listed', async () => {
    const { owner, jobId, applicationIds } = await system.jobWithApplicants(1);
    const booking = await system.bookOk(owner, { jobId, applicationId: applicationIds[0], paymentToken: 'tok_visa' });
    await system.settle();

    const response = await system.list(owner, { customer: owner.username.toUpperCase(), status: 'CONFIRMED' });

    expect(response.status).toBe(200);
    expect(response.body.items.map((item: { id: string }) => item.id)).toEqual([booking.id]);
  });
});
