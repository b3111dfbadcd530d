import { BOOK, apply, postJob, signUp } from './support/fixtures';
import { errorCodes, startTestSystem, uniqueName, type TestSystem } from './support/harness';

const APPLICATIONS = `query ($jobId: ID!) { listJobApplications(jobId: $jobId) { id nanny status } }`;
const GET_JOB = `query ($id: ID!) { getJob(id: $id) { status } }`;
const GET_BOOKING = `query ($id: ID!) { getBooking(id: $id) { id jobId applicationId customer nanny status } }`;

type Applications = { listJobApplications: Array<{ id: string; nanny: string; status: string }> };

describe('booking a nanny through the gateway', () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('when the parent books one applicant, then the job closes, that application is ACCEPTED and the others end DECLINED', async () => {
    const parent = await signUp(t, 'PARENT');
    const chosen = await signUp(t, 'NANNY');
    const other = await signUp(t, 'NANNY');
    const job = await postJob(t, parent.token);
    const chosenApplication = await apply(t, chosen.token, job.id);
    const otherApplication = await apply(t, other.token, job.id);

    const booked = await t.gql(BOOK, { jobId: job.id, applicationId: chosenApplication.id }, { token: parent.token });
    await t.system.runtime.broker.drain();

    expect(booked.errors).toBeUndefined();
    expect(booked.data?.bookNanny).toMatchObject({
      jobId: job.id,
      applicationId: chosenApplication.id,
      customer: parent.username,
      nanny: chosen.username,
    });
    const jobAfter = await t.gql(GET_JOB, { id: job.id }, { token: parent.token });
    expect(jobAfter.data?.getJob).toEqual({ status: 'CLOSED' });
    const applications = await t.gql<Applications>(APPLICATIONS, { jobId: job.id }, { token: parent.token });
    const statusById = Object.fromEntries(applications.data!.listJobApplications.map((a) => [a.id, a.status]));
    expect(statusById).toEqual({ [chosenApplication.id]: 'ACCEPTED', [otherApplication.id]: 'DECLINED' });
  });

  it('when the booking is read, then the customer and the booked nanny see it and others are FORBIDDEN', async () => {
    const parent = await signUp(t, 'PARENT');
    const nanny = await signUp(t, 'NANNY');
    const stranger = await signUp(t, 'PARENT');
    const job = await postJob(t, parent.token);
    const application = await apply(t, nanny.token, job.id);
    const booked = await t.gql<{ bookNanny: { id: string } }>(
      BOOK,
      { jobId: job.id, applicationId: application.id },
      { token: parent.token },
    );
    const id = booked.data!.bookNanny.id;

    const byCustomer = await t.gql(GET_BOOKING, { id }, { token: parent.token });
    const byNanny = await t.gql(GET_BOOKING, { id }, { token: nanny.token });
    const byStranger = await t.gql(GET_BOOKING, { id }, { token: stranger.token });

    expect(byCustomer.data?.getBooking).toMatchObject({ id, customer: parent.username, nanny: nanny.username });
    expect(byNanny.data?.getBooking).toMatchObject({ id });
    expect(errorCodes(byStranger)).toEqual(['FORBIDDEN']);
  });

  it('when someone other than the job owner books, then it is FORBIDDEN and nothing changes', async () => {
    const parent = await signUp(t, 'PARENT');
    const intruder = await signUp(t, 'PARENT');
    const nanny = await signUp(t, 'NANNY');
    const job = await postJob(t, parent.token);
    const application = await apply(t, nanny.token, job.id);

    const response = await t.gql(BOOK, { jobId: job.id, applicationId: application.id }, { token: intruder.token });

    expect(errorCodes(response)).toEqual(['FORBIDDEN']);
    const jobAfter = await t.gql(GET_JOB, { id: job.id }, { token: parent.token });
    expect(jobAfter.data?.getJob).toEqual({ status: 'OPEN' });
  });

  it('when a nanny tries to book, then it is FORBIDDEN', async () => {
    const nanny = await signUp(t, 'NANNY');

    const response = await t.gql(BOOK, { jobId: 'any', applicationId: 'any' }, { token: nanny.token });

    expect(errorCodes(response)).toEqual(['FORBIDDEN']);
  });

  it('when a job is already booked, then booking another applicant is CONFLICT', async () => {
    const parent = await signUp(t, 'PARENT');
    const first = await signUp(t, 'NANNY');
    const second = await signUp(t, 'NANNY');
    const job = await postJob(t, parent.token);
    const firstApplication = await apply(t, first.token, job.id);
    const secondApplication = await apply(t, second.token, job.id);
    await t.gql(BOOK, { jobId: job.id, applicationId: firstApplication.id }, { token: parent.token });

    const response = await t.gql(BOOK, { jobId: job.id, applicationId: secondApplication.id }, { token: parent.token });

    expect(errorCodes(response)).toEqual(['CONFLICT']);
  });

  it('when the job is unknown, then booking is NOT_FOUND', async () => {
    const parent = await signUp(t, 'PARENT');

    const response = await t.gql(BOOK, { jobId: uniqueName('nojob'), applicationId: 'x' }, { token: parent.token });

    expect(errorCodes(response)).toEqual(['NOT_FOUND']);
  });

  it('when 10 bookings race on one job, then exactly one succeeds and exactly one application is ACCEPTED', async () => {
    const parent = await signUp(t, 'PARENT');
    const job = await postJob(t, parent.token);
    const applications = [];
    for (let i = 0; i < 10; i += 1) {
      const nanny = await signUp(t, 'NANNY');
      applications.push(await apply(t, nanny.token, job.id));
    }

    const responses = await Promise.all(
      applications.map((application) =>
        t.gql(BOOK, { jobId: job.id, applicationId: application.id }, { token: parent.token }),
      ),
    );
    await t.system.runtime.broker.drain();

    expect(responses.filter((response) => !response.errors)).toHaveLength(1);
    expect(responses.flatMap(errorCodes)).toEqual(Array(9).fill('CONFLICT'));
    const after = await t.gql<Applications>(APPLICATIONS, { jobId: job.id }, { token: parent.token });
    const statuses = after.data!.listJobApplications.map((application) => application.status).sort();
    expect(statuses).toEqual(['ACCEPTED', ...Array(9).fill('DECLINED')]);
  });
});
