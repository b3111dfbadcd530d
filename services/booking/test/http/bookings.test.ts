import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startSystem, type Person, type System } from '../support/system';

let system: System;

beforeAll(async () => {
  system = await startSystem();
});

afterAll(async () => {
  await system.stop();
});

describe('POST /bookings: what is refused at once', () => {
  it('when another parent books the job, then 403 FORBIDDEN and no booking is stored', async () => {
    const { jobId, applicationIds } = await system.jobWithApplicants(1);
    const stranger = await system.person('PARENT');

    const response = await system.book(stranger, { jobId, applicationId: applicationIds[0], paymentToken: 'tok_visa' });

    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ code: 'FORBIDDEN', message: "only the job's owner can book it" });
    expect(await system.jobStatus(jobId)).toBe('OPEN');
    expect((await system.list(stranger, { customer: stranger.username, status: 'UNCONFIRMED' })).body.items).toEqual(
      [],
    );
  });

  it('when the parent has been deactivated, then 403 FORBIDDEN', async () => {
    const { owner, jobId, applicationIds } = await system.jobWithApplicants(1);
    await system.deactivate(owner);

    const response = await system.book(owner, { jobId, applicationId: applicationIds[0], paymentToken: 'tok_visa' });

    expect(response.status).toBe(403);
    expect(response.body.message).toBe('your account is deactivated');
  });

  it('when the parent has no user profile, then 403 FORBIDDEN', async () => {
    const ghost: Person = { username: `nobody-${randomUUID().slice(0, 8)}`, roles: ['PARENT'] };

    const response = await system.book(ghost, { jobId: 'j', applicationId: 'a', paymentToken: 'tok_visa' });

    expect(response.status).toBe(403);
    expect(response.body.message).toBe('create your user profile first');
  });

  it('when the caller is not a parent, then 403 FORBIDDEN', async () => {
    const { jobId, applicationIds, nannies } = await system.jobWithApplicants(1);

    const response = await system.book(nannies[0], {
      jobId,
      applicationId: applicationIds[0],
      paymentToken: 'tok_visa',
    });

    expect(response.status).toBe(403);
  });

  it('when the job does not exist, then 404 NOT_FOUND', async () => {
    const owner = await system.person('PARENT');

    const response = await system.book(owner, { jobId: randomUUID(), applicationId: 'a', paymentToken: 'tok_visa' });

    expect(response.status).toBe(404);
    expect(response.body.code).toBe('NOT_FOUND');
  });

  it('when the application belongs to another job, then 404 NOT_FOUND', async () => {
    const { owner, jobId } = await system.jobWithApplicants(1);
    const other = await system.jobWithApplicants(1);

    const response = await system.book(owner, {
      jobId,
      applicationId: other.applicationIds[0],
      paymentToken: 'tok_visa',
    });

    expect(response.status).toBe(404);
  });

  const invalid: Array<[string, string, Record<string, unknown>]> = [
    ['jobId', 'missing', { applicationId: 'a', paymentToken: 'tok_visa' }],
    ['applicationId', 'blank', { jobId: 'j', applicationId: '  ', paymentToken: 'tok_visa' }],
    ['paymentToken', 'missing', { jobId: 'j', applicationId: 'a' }],
    ['paymentToken', 'not a string', { jobId: 'j', applicationId: 'a', paymentToken: 4242 }],
    ['paymentToken', 'made of other characters', { jobId: 'j', applicationId: 'a', paymentToken: 'tok visa!' }],
    ['nanny', 'an unknown field', { jobId: 'j', applicationId: 'a', paymentToken: 'tok_visa', nanny: 'x' }],
  ];

  it.each(invalid)('when %s is %s, then 400 BAD_USER_INPUT naming it', async (field, _case, body) => {
    const owner = await system.person('PARENT');

    const response = await system.book(owner, body);

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('when the token is refused, then the error does not repeat it', async () => {
    const owner = await system.person('PARENT');

    const response = await system.book(owner, { jobId: 'j', applicationId: 'a', paymentToken: 'tok_secret value' });

    expect(response.status).toBe(400);
    expect(response.text).not.toContain('tok_secret');
  });

  it('when there is no caller identity, then 401 UNAUTHENTICATED', async () => {
    const response = await request(system.bookingUrl)
      .post('/bookings')
      .send({ jobId: 'j', applicationId: 'a', paymentToken: 'tok_visa' });

    expect(response.status).toBe(401);
    expect(response.body.code).toBe('UNAUTHENTICATED');
  });
});

describe('when a service booking depends on is unreachable', () => {
  it('then without the job service POST /bookings is 503 UNAVAILABLE and nothing is stored', async () => {
    const withoutJobs = await startSystem({ job: false });
    try {
      const owner = await withoutJobs.person('PARENT');

      const response = await withoutJobs.book(owner, { jobId: 'j', applicationId: 'a', paymentToken: 'tok_visa' });

      expect(response.status).toBe(503);
      expect(response.body.code).toBe('UNAVAILABLE');
      expect((await withoutJobs.runtime.stateStore('booking')).size).toBe(0);
    } finally {
      await withoutJobs.stop();
    }
  });

  it('then without the user service POST /bookings is 503 UNAVAILABLE', async () => {
    const withoutUsers = await startSystem({ user: false });
    try {
      const response = await withoutUsers.book(
        { username: 'pat', roles: ['PARENT'] },
        { jobId: 'j', applicationId: 'a', paymentToken: 'tok_visa' },
      );

      expect(response.status).toBe(503);
    } finally {
      await withoutUsers.stop();
    }
  });
});
