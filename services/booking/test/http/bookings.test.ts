import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { as, startSystem, type Person, type System } from '../support/system';

let system: System;

const book = (target: System, customer: Person, body: object) =>
  request(target.bookingUrl).post('/bookings').set(as(customer)).send(body);

const readBooking = (reader: Person, id: string) => request(system.bookingUrl).get(`/bookings/${id}`).set(as(reader));

beforeAll(async () => {
  system = await startSystem();
});

afterAll(async () => {
  await system.stop();
});

/** A parent's open job with one application from each of `count` nannies. */
const jobWithApplicants = async (count: number) => {
  const owner = await system.person('PARENT');
  const jobId = await system.postJob(owner);
  const nannies: Person[] = [];
  const applicationIds: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const nanny = await system.person('NANNY');
    nannies.push(nanny);
    applicationIds.push(await system.apply(nanny, jobId));
  }
  return { owner, jobId, nannies, applicationIds };
};

describe('POST /bookings', () => {
  it('when the owner books an application, then 201, the job closes, it is accepted and the others end declined', async () => {
    const { owner, jobId, nannies, applicationIds } = await jobWithApplicants(3);

    const response = await book(system, owner, { jobId, applicationId: applicationIds[1] });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.any(String),
      jobId,
      applicationId: applicationIds[1],
      customer: owner.username,
      nanny: nannies[1].username,
      status: 'CONFIRMED',
      createdAt: expect.any(String),
      updatedAt: response.body.createdAt,
    });
    expect(await system.jobStatus(jobId)).toBe('CLOSED');
    await system.runtime.broker.drain();
    expect(await system.applicationStatuses(owner, jobId)).toEqual({
      [applicationIds[0]]: 'DECLINED',
      [applicationIds[1]]: 'ACCEPTED',
      [applicationIds[2]]: 'DECLINED',
    });
  });

  it('when another parent books the job, then 403 FORBIDDEN and the job stays open', async () => {
    const { jobId, applicationIds } = await jobWithApplicants(1);
    const stranger = await system.person('PARENT');

    const response = await book(system, stranger, { jobId, applicationId: applicationIds[0] });

    expect(response.status).toBe(403);
    expect(response.body.code).toBe('FORBIDDEN');
    expect(await system.jobStatus(jobId)).toBe('OPEN');
  });

  it('when the parent has been deactivated, then 403 FORBIDDEN and the job stays open', async () => {
    const { owner, jobId, applicationIds } = await jobWithApplicants(1);
    await system.deactivate(owner);

    const response = await book(system, owner, { jobId, applicationId: applicationIds[0] });

    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ code: 'FORBIDDEN', message: 'your account is deactivated' });
    expect(await system.jobStatus(jobId)).toBe('OPEN');
  });

  it('when the parent has no user profile, then 403 FORBIDDEN', async () => {
    const { jobId, applicationIds } = await jobWithApplicants(1);

    const response = await book(
      system,
      { username: `nobody-${randomUUID()}`, roles: ['PARENT'] },
      {
        jobId,
        applicationId: applicationIds[0],
      },
    );

    expect(response.status).toBe(403);
  });

  it('when the caller is not a parent, then 403 FORBIDDEN', async () => {
    const { jobId, applicationIds, nannies } = await jobWithApplicants(1);

    const response = await book(system, nannies[0], { jobId, applicationId: applicationIds[0] });

    expect(response.status).toBe(403);
    expect(await system.jobStatus(jobId)).toBe('OPEN');
  });

  it('when the job is already booked, then 409 CONFLICT and the first booking stands', async () => {
    const { owner, jobId, applicationIds } = await jobWithApplicants(2);
    await book(system, owner, { jobId, applicationId: applicationIds[0] }).expect(201);

    const response = await book(system, owner, { jobId, applicationId: applicationIds[1] });

    expect(response.status).toBe(409);
    expect(response.body.code).toBe('CONFLICT');
    await system.runtime.broker.drain();
    expect((await system.applicationStatuses(owner, jobId))[applicationIds[0]]).toBe('ACCEPTED');
  });

  it('when the job does not exist, then 404 NOT_FOUND', async () => {
    const owner = await system.person('PARENT');

    const response = await book(system, owner, { jobId: randomUUID(), applicationId: randomUUID() });

    expect(response.status).toBe(404);
    expect(response.body.code).toBe('NOT_FOUND');
  });

  it('when the application belongs to another job, then 404 NOT_FOUND', async () => {
    const { owner, jobId } = await jobWithApplicants(1);
    const other = await jobWithApplicants(1);

    const response = await book(system, owner, { jobId, applicationId: other.applicationIds[0] });

    expect(response.status).toBe(404);
  });

  it('when the input lacks the applicationId, then 400 BAD_USER_INPUT naming it', async () => {
    const owner = await system.person('PARENT');

    const response = await book(system, owner, { jobId: randomUUID() });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'BAD_USER_INPUT', field: 'applicationId' });
  });

  it('when there is no caller identity, then 401 UNAUTHENTICATED', async () => {
    const response = await request(system.bookingUrl).post('/bookings').send({ jobId: 'j', applicationId: 'a' });

    expect(response.status).toBe(401);
    expect(response.body.code).toBe('UNAUTHENTICATED');
  });

  it('when 10 bookings race on one job, then one 201, nine 409 CONFLICT and exactly one application accepted', async () => {
    const { owner, jobId, applicationIds } = await jobWithApplicants(10);

    const responses = await Promise.all(
      applicationIds.map((applicationId) => book(system, owner, { jobId, applicationId })),
    );

    expect(responses.filter((response) => response.status === 201)).toHaveLength(1);
    const conflicts = responses.filter((response) => response.status === 409);
    expect(conflicts).toHaveLength(9);
    expect(conflicts.every((response) => response.body.code === 'CONFLICT')).toBe(true);
    await system.runtime.broker.drain();
    const statuses = Object.values(await system.applicationStatuses(owner, jobId));
    expect(statuses.filter((status) => status === 'ACCEPTED')).toHaveLength(1);
    expect(statuses.filter((status) => status === 'DECLINED')).toHaveLength(9);
  });
});

describe('GET /bookings/:id', () => {
  const booked = async () => {
    const { owner, jobId, nannies, applicationIds } = await jobWithApplicants(2);
    const response = await book(system, owner, { jobId, applicationId: applicationIds[0] }).expect(201);
    return { owner, nanny: nannies[0], otherNanny: nannies[1], booking: response.body };
  };

  it('when the customer, the booked nanny or an admin reads it, then 200 with the booking', async () => {
    const { owner, nanny, booking } = await booked();

    for (const reader of [owner, nanny, { username: 'support', roles: ['ADMIN'] } as Person]) {
      const response = await readBooking(reader, booking.id);
      expect(response.status).toBe(200);
      expect(response.body).toEqual(booking);
    }
  });

  it('when a nanny who was not booked reads it, then 403 FORBIDDEN', async () => {
    const { otherNanny, booking } = await booked();

    const response = await readBooking(otherNanny, booking.id);

    expect(response.status).toBe(403);
    expect(response.body.code).toBe('FORBIDDEN');
  });

  it('when the booking does not exist, then 404 NOT_FOUND', async () => {
    const reader = await system.person('PARENT');

    const response = await readBooking(reader, randomUUID());

    expect(response.status).toBe(404);
  });
});

describe('when storing the booking fails', () => {
  it('then the reservation is released: the job reopens and the application is pending again', async () => {
    const takenId = randomUUID();
    const failing = await startSystem({ newId: () => takenId });
    try {
      await (await failing.runtime.stateStore('booking')).save(`booking:${takenId}`, { occupied: true });
      const owner = await failing.person('PARENT');
      const jobId = await failing.postJob(owner);
      const applicationId = await failing.apply(await failing.person('NANNY'), jobId);

      const response = await book(failing, owner, { jobId, applicationId });

      expect(response.status).toBe(409);
      expect(await failing.jobStatus(jobId)).toBe('OPEN');
      expect(await failing.applicationStatuses(owner, jobId)).toEqual({ [applicationId]: 'PENDING' });
    } finally {
      await failing.stop();
    }
  });
});

describe('when the job service is unreachable', () => {
  it('then 503 UNAVAILABLE and nothing is stored', async () => {
    const withoutJobs = await startSystem({}, { job: false });
    try {
      const owner = await withoutJobs.person('PARENT');

      const response = await book(withoutJobs, owner, { jobId: randomUUID(), applicationId: randomUUID() });

      expect(response.status).toBe(503);
      expect(response.body.code).toBe('UNAVAILABLE');
      expect((await withoutJobs.runtime.stateStore('booking')).size).toBe(0);
    } finally {
      await withoutJobs.stop();
    }
  });
});

describe('when the user service is unreachable', () => {
  it('then 503 UNAVAILABLE', async () => {
    const withoutUsers = await startSystem({}, { user: false });
    try {
      const response = await book(
        withoutUsers,
        { username: 'pat', roles: ['PARENT'] },
        { jobId: 'j', applicationId: 'a' },
      );

      expect(response.status).toBe(503);
    } finally {
      await withoutUsers.stop();
    }
  });
});
