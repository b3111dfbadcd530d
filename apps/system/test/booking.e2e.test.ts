import {
  BOOK,
  PROCESS_BOOKING,
  allEventsOf,
  getBooking,
  jobWithApplicants,
  processBooking,
  signUp,
  type BookingView,
} from './support/fixtures';
import { errorCodes, startTestSystem, uniqueName, type TestSystem } from './support/harness';

const APPLICATIONS = `query ($jobId: ID!) { listJobApplications(jobId: $jobId) { id nanny status } }`;
const GET_JOB = `query ($id: ID!) { getJob(id: $id) { status } }`;

type Applications = { listJobApplications: Array<{ id: string; nanny: string; status: string }> };

describe('booking a nanny through the gateway (processBooking)', () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem();
  });
  afterAll(async () => {
    await t.stop();
  });

  const settle = () => t.system.runtime.broker.drain();
  const statuses = async (token: string, jobId: string) => {
    const applications = await t.gql<Applications>(APPLICATIONS, { jobId }, { token });
    return Object.fromEntries(applications.data!.listJobApplications.map((a) => [a.id, a.status]));
  };
  const jobStatus = async (token: string, id: string) => (await t.gql(GET_JOB, { id }, { token })).data?.getJob;
  const final = async (token: string, id: string) => (await getBooking(t, token, id)).data?.getBooking as BookingView;

  it('when the parent books with tok_visa, then UNCONFIRMED at once, then CONFIRMED with a reference, the job closed and the others DECLINED', async () => {
    const { parent, job, nannies, applications } = await jobWithApplicants(t, 2, { cost: '150.25' });

    const booked = await processBooking(t, parent.token, {
      jobId: job.id,
      applicationId: applications[0].id,
      paymentToken: 'tok_visa',
    });
    await settle();

    expect(booked).toMatchObject({
      status: 'UNCONFIRMED',
      customer: parent.username,
      nanny: nannies[0].username,
      amount: '150.25',
      currency: 'GBP',
      maskedPaymentToken: 'tok_…isa',
      bookingReference: null,
    });
    expect(await final(parent.token, booked.id)).toMatchObject({
      status: 'CONFIRMED',
      bookingReference: expect.stringMatching(/^[A-HJ-NP-Z2-9]{6}$/),
      cancellationReason: null,
    });
    expect(await jobStatus(parent.token, job.id)).toEqual({ status: 'CLOSED' });
    expect(await statuses(parent.token, job.id)).toEqual({
      [applications[0].id]: 'ACCEPTED',
      [applications[1].id]: 'DECLINED',
    });
  });

  it('when the booking is read, then the customer and the booked nanny see it and others are FORBIDDEN', async () => {
    const { parent, job, nannies, applications } = await jobWithApplicants(t, 2);
    const stranger = await signUp(t, 'PARENT');
    const booked = await processBooking(t, parent.token, {
      jobId: job.id,
      applicationId: applications[0].id,
      paymentToken: 'tok_visa',
    });

    const byCustomer = await getBooking(t, parent.token, booked.id);
    const byNanny = await getBooking(t, nannies[0].token, booked.id);
    const byOtherNanny = await getBooking(t, nannies[1].token, booked.id);
    const byStranger = await getBooking(t, stranger.token, booked.id);

    expect(byCustomer.data?.getBooking).toMatchObject({ id: booked.id, customer: parent.username });
    expect(byNanny.data?.getBooking).toMatchObject({ id: booked.id });
    expect(errorCodes(byOtherNanny)).toEqual(['FORBIDDEN']);
    expect(errorCodes(byStranger)).toEqual(['FORBIDDEN']);
  });

  it('when a booking is read, then createdOn is its creation time, the same as the deprecated createdAt', async () => {
    const { parent, job, applications } = await jobWithApplicants(t, 1);
    const booked = await processBooking(t, parent.token, {
      jobId: job.id,
      applicationId: applications[0].id,
      paymentToken: 'tok_visa',
    });

    const read = (await getBooking(t, parent.token, booked.id)).data?.getBooking as BookingView;

    expect(read.createdOn).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(read.createdOn).toBe(read.createdAt);
  });

  it('when someone other than the job owner books, then it is FORBIDDEN and nothing changes', async () => {
    const { job, applications } = await jobWithApplicants(t, 1);
    const intruder = await signUp(t, 'PARENT');

    const response = await t.gql(
      PROCESS_BOOKING,
      { input: { jobId: job.id, applicationId: applications[0].id, paymentToken: 'tok_visa' } },
      { token: intruder.token },
    );

    expect(errorCodes(response)).toEqual(['FORBIDDEN']);
    expect(await jobStatus(intruder.token, job.id)).toEqual({ status: 'OPEN' });
  });

  it('when a nanny tries to book, then it is FORBIDDEN', async () => {
    const nanny = await signUp(t, 'NANNY');

    const response = await t.gql(
      PROCESS_BOOKING,
      { input: { jobId: 'any', applicationId: 'any', paymentToken: 'tok_visa' } },
      { token: nanny.token },
    );

    expect(errorCodes(response)).toEqual(['FORBIDDEN']);
  });

  it('when the payment token is missing, then BAD_USER_INPUT', async () => {
    const parent = await signUp(t, 'PARENT');

    const response = await t.gql(
      PROCESS_BOOKING,
      { input: { jobId: 'j', applicationId: 'a' } },
      { token: parent.token },
    );

    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
  });

  it('when the job is unknown, then booking is NOT_FOUND', async () => {
    const parent = await signUp(t, 'PARENT');

    const response = await t.gql(
      PROCESS_BOOKING,
      { input: { jobId: uniqueName('nojob'), applicationId: 'x', paymentToken: 'tok_visa' } },
      { token: parent.token },
    );

    expect(errorCodes(response)).toEqual(['NOT_FOUND']);
  });

  it('when a job is already booked, then a booking of another applicant ends CANCELLED: the job is already booked', async () => {
    const { parent, job, applications } = await jobWithApplicants(t, 2);
    const first = await processBooking(t, parent.token, {
      jobId: job.id,
      applicationId: applications[0].id,
      paymentToken: 'tok_visa',
    });
    await settle();

    const second = await processBooking(t, parent.token, {
      jobId: job.id,
      applicationId: applications[1].id,
      paymentToken: 'tok_visa',
    });
    await settle();

    expect((await final(parent.token, first.id)).status).toBe('CONFIRMED');
    expect(await final(parent.token, second.id)).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'the job is already booked',
    });
  });

  it('when 10 bookings race on one job, then exactly one is CONFIRMED, nine CANCELLED with a reason, one application ACCEPTED', async () => {
    const { parent, job, applications } = await jobWithApplicants(t, 10);

    const booked = await Promise.all(
      applications.map((application) =>
        processBooking(t, parent.token, { jobId: job.id, applicationId: application.id, paymentToken: 'tok_visa' }),
      ),
    );
    await settle();

    const outcomes = await Promise.all(booked.map((booking) => final(parent.token, booking.id)));
    expect(outcomes.filter((booking) => booking.status === 'CONFIRMED')).toHaveLength(1);
    const cancelled = outcomes.filter((booking) => booking.status === 'CANCELLED');
    expect(cancelled).toHaveLength(9);
    expect(cancelled.every((booking) => (booking.cancellationReason ?? '').length > 0)).toBe(true);
    expect(Object.values(await statuses(parent.token, job.id)).sort()).toEqual([
      'ACCEPTED',
      ...Array(9).fill('DECLINED'),
    ]);
    // Exactly one event per change, under the race: each booking requested once and settled once, the job posted
    // and closed once, each application submitted once and then accepted or declined once.
    const bookingEvents = await Promise.all(
      booked.map(async (booking) => (await allEventsOf(t, parent.token, 'BOOKING', booking.id)).map((e) => e.type)),
    );
    expect(bookingEvents.map((types) => types.join(',')).sort()).toEqual([
      ...Array(9).fill('BOOKING_REQUESTED,BOOKING_CANCELLED'),
      'BOOKING_REQUESTED,BOOKING_CONFIRMED',
    ]);
    expect((await allEventsOf(t, parent.token, 'JOB', job.id)).map((e) => e.type)).toEqual([
      'JOB_POSTED',
      'JOB_CLOSED',
    ]);
    const applicationEvents = await Promise.all(
      applications.map(async (a) => (await allEventsOf(t, parent.token, 'APPLICATION', a.id)).map((e) => e.type)),
    );
    expect(applicationEvents.map((types) => types.join(',')).sort()).toEqual([
      'APPLICATION_SUBMITTED,APPLICATION_ACCEPTED',
      ...Array(9).fill('APPLICATION_SUBMITTED,APPLICATION_DECLINED'),
    ]);
  });
});

describe('bookNanny, the deprecated alias of processBooking', () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('when called with a payment token, then it books like processBooking', async () => {
    const { parent, job, applications } = await jobWithApplicants(t, 1);

    const response = await t.gql<{ bookNanny: { id: string; status: string } }>(
      BOOK,
      { jobId: job.id, applicationId: applications[0].id, paymentToken: 'tok_visa' },
      { token: parent.token },
    );
    await t.system.runtime.broker.drain();

    expect(response.data?.bookNanny.status).toBe('UNCONFIRMED');
    expect((await getBooking(t, parent.token, response.data!.bookNanny.id)).data?.getBooking?.status).toBe('CONFIRMED');
  });

  it('when called without a payment token, as before, then BAD_USER_INPUT naming paymentToken', async () => {
    const { parent, job, applications } = await jobWithApplicants(t, 1);

    const response = await t.gql(BOOK, { jobId: job.id, applicationId: applications[0].id }, { token: parent.token });

    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors?.[0].extensions?.field).toBe('paymentToken');
  });
});
