import { apply, getBooking, processBooking, postJob, signUp } from './support/fixtures';
import {
  TEST_API_KEY,
  embeddedDriver,
  errorCodes,
  startTestSystem,
  type CallOptions,
  type TestSystem,
} from './support/harness';

const LIST_JOBS = `query ($filter: JobFilter, $sortBy: JobSortBy, $limit: Int, $after: String) {
  listJobs(filter: $filter, sortBy: $sortBy, limit: $limit, afterCursor: $after) { items { id status createdOn address } cursor }
}`;
const CREATED_ON = `query ($id: ID!) { getJob(id: $id) { createdOn } }`;

type Listed = { id: string; status: string; createdOn: string; address: string | null };
type JobPage = { listJobs: { items: Listed[]; cursor: string | null } };

// One embedded system for the file: each test makes its own users and jobs and narrows what it lists to them
// (by job, customer, creation time or place).
let t: TestSystem;
beforeAll(async () => {
  t = await startTestSystem();
});
afterAll(async () => {
  await t.stop();
});

/** The first two pages, one item each, of the list `field` answers to `query` (the second after the first's cursor). */
const firstTwoPages = async <Page extends Record<string, { cursor: string | null }>>(
  field: keyof Page,
  query: string,
  variables: Record<string, unknown>,
  options: CallOptions,
) => {
  const first = await t.gql<Page>(query, { ...variables, limit: 1 }, options);
  const second = await t.gql<Page>(query, { ...variables, limit: 1, after: first.data![field].cursor }, options);
  return [first, second] as const;
};

describe('listJobs through the gateway (embedded runtime)', () => {
  /** Jobs from the first of `jobs` on (other tests' jobs are older), in `status` ones. */
  const sinceFirst = async (token: string, firstJobId: string, status: unknown) => {
    const first = await t.gql<{ getJob: { createdOn: string } }>(CREATED_ON, { id: firstJobId }, { token });
    return { status, createdOn: { gte: first.data!.getJob.createdOn } };
  };

  it('when jobs are paged while others are posted and one not yet shown is booked, then each job shows exactly once', async () => {
    const parent = await signUp(t, 'PARENT');
    const nanny = await signUp(t, 'NANNY');
    const jobs = [];
    for (let i = 0; i < 5; i += 1) jobs.push(await postJob(t, parent.token));
    const filter = await sinceFirst(parent.token, jobs[0].id, { in: ['OPEN', 'CLOSED'] });
    const first = await t.gql<JobPage>(LIST_JOBS, { filter, limit: 2 }, { token: parent.token });

    await postJob(t, parent.token);
    const application = await apply(t, nanny.token, jobs[1].id);
    const booking = await processBooking(t, parent.token, {
      jobId: jobs[1].id,
      applicationId: application.id,
      paymentToken: 'tok_visa',
    });
    await embeddedDriver(t).eventually(
      async () => (await getBooking(t, parent.token, booking.id)).data?.getBooking?.status === 'CONFIRMED',
      'the booking to be CONFIRMED',
    );
    const second = await t.gql<JobPage>(
      LIST_JOBS,
      { filter, limit: 2, after: first.data!.listJobs.cursor },
      { token: parent.token },
    );
    const third = await t.gql<JobPage>(
      LIST_JOBS,
      { filter, limit: 2, after: second.data!.listJobs.cursor },
      { token: parent.token },
    );

    expect(first.data!.listJobs.items.map((job) => job.id)).toEqual([jobs[4].id, jobs[3].id]);
    expect(second.data!.listJobs.items.map((job) => [job.id, job.status])).toEqual([
      [jobs[2].id, 'OPEN'],
      [jobs[1].id, 'CLOSED'],
    ]);
    expect(third.data!.listJobs).toEqual({ items: [expect.objectContaining({ id: jobs[0].id })], cursor: null });
  });

  it('when the filter needs what the index does not keep, then it is BAD_USER_INPUT naming that part', async () => {
    const parent = await signUp(t, 'PARENT');

    const response = await t.gql(LIST_JOBS, { filter: { createdOn: { contains: 'T10' } } }, { token: parent.token });

    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors?.[0].extensions?.field).toBe('filter.createdOn.contains');
  });

  it('when only the API key is sent, then OPEN jobs are listed without addresses and CLOSED ones are refused', async () => {
    const parent = await signUp(t, 'PARENT');
    const job = await postJob(t, parent.token);
    const filter = await sinceFirst(parent.token, job.id, { eq: 'OPEN' });

    const open = await t.gql<JobPage>(LIST_JOBS, { filter }, { apiKey: TEST_API_KEY });
    const closed = await t.gql(LIST_JOBS, { filter: { status: { ne: 'OPEN' } } }, { apiKey: TEST_API_KEY });

    expect(open.data?.listJobs).toEqual({
      items: [{ id: job.id, status: 'OPEN', createdOn: expect.any(String), address: null }],
      cursor: null,
    });
    expect(errorCodes(closed)).toEqual(['UNAUTHENTICATED']);
  });

  it('when sortBy asks for oldest first, then the jobs come oldest first', async () => {
    const parent = await signUp(t, 'PARENT');
    const jobs = [await postJob(t, parent.token), await postJob(t, parent.token), await postJob(t, parent.token)];
    const filter = await sinceFirst(parent.token, jobs[0].id, { eq: 'OPEN' });

    const response = await t.gql<JobPage>(
      LIST_JOBS,
      { filter, sortBy: { field: 'createdOn', direction: 'ASC' }, limit: 2 },
      { token: parent.token },
    );

    expect(response.data!.listJobs.items.map((job) => job.id)).toEqual([jobs[0].id, jobs[1].id]);
    expect(response.data!.listJobs.cursor).toEqual(expect.any(String));
  });
});

describe('listApplications through the gateway (embedded runtime)', () => {
  const LIST_APPLICATIONS = `query ($jobId: ID!, $filter: ApplicationFilter, $limit: Int, $after: String) {
    listApplications(jobId: $jobId, filter: $filter, limit: $limit, afterCursor: $after) { items { id nanny status } cursor }
  }`;
  type ApplicationPage = { listApplications: { items: Array<{ id: string; nanny: string }>; cursor: string | null } };

  it('when a filter on the nanny is paged, then the pages hold exactly the matching applications in arrival order', async () => {
    const parent = await signUp(t, 'PARENT');
    const job = await postJob(t, parent.token);
    const applied = [];
    const nannies: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const nanny = await signUp(t, 'NANNY');
      nannies.push(nanny.username);
      applied.push(await apply(t, nanny.token, job.id));
    }
    const filter = { status: { eq: 'PENDING' }, nanny: { ne: nannies[1] } };

    const [first, second] = await firstTwoPages<ApplicationPage>(
      'listApplications',
      LIST_APPLICATIONS,
      { jobId: job.id, filter },
      { token: parent.token },
    );

    expect(first.data!.listApplications.items.map((item) => item.id)).toEqual([applied[0].id]);
    expect(second.data!.listApplications).toEqual({
      items: [{ id: applied[2].id, nanny: nannies[2], status: 'PENDING' }],
      cursor: null,
    });
  });
});

describe('listJobsNear through the gateway (embedded runtime)', () => {
  const NEAR = `query ($latitude: Float!, $longitude: Float!, $radiusKm: Float!, $limit: Int, $after: String) {
    listJobsNear(latitude: $latitude, longitude: $longitude, radiusKm: $radiusKm, limit: $limit, afterCursor: $after) {
      items { distanceKm job { id status address } } cursor
    }
  }`;
  type NearPage = {
    listJobsNear: {
      items: Array<{ distanceKm: number; job: { id: string; address: string | null } }>;
      cursor: string | null;
    };
  };

  it('when jobs lie on both sides of the antimeridian, then the API key lists them nearest first in pages', async () => {
    const parent = await signUp(t, 'PARENT');
    const west = await postJob(t, parent.token, { latitude: -16.5, longitude: -179.9 });
    const east = await postJob(t, parent.token, { latitude: -16.5, longitude: 179.97 });

    const [first, second] = await firstTwoPages<NearPage>(
      'listJobsNear',
      NEAR,
      { latitude: -16.5, longitude: 179.99, radiusKm: 30 },
      { apiKey: TEST_API_KEY },
    );

    expect(first.data!.listJobsNear.items.map((item) => item.job)).toEqual([
      { id: east.id, status: 'OPEN', address: null },
    ]);
    expect(second.data!.listJobsNear.items.map((item) => item.job.id)).toEqual([west.id]);
    expect(second.data!.listJobsNear.items[0].distanceKm).toBeGreaterThan(first.data!.listJobsNear.items[0].distanceKm);
    expect(second.data!.listJobsNear.cursor).toBeNull();
  });

  it('when the radius is over 200 km, then it is BAD_USER_INPUT on radiusKm', async () => {
    const response = await t.gql(NEAR, { latitude: 0, longitude: 0, radiusKm: 250 }, { apiKey: TEST_API_KEY });

    expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'radiusKm' });
  });
});

describe('listBookings through the gateway (embedded runtime)', () => {
  const LIST_BOOKINGS = `query ($customer: String!, $filter: BookingFilter, $limit: Int, $after: String) {
    listBookings(customer: $customer, filter: $filter, limit: $limit, afterCursor: $after) { items { id status } cursor }
  }`;
  type BookingPage = { listBookings: { items: Array<{ id: string; status: string }>; cursor: string | null } };

  it('when a parent lists confirmed and cancelled bookings, then both statuses come newest first; a refused filter names itself', async () => {
    const parent = await signUp(t, 'PARENT');
    const booked: Array<{ id: string }> = [];
    for (let i = 0; i < 2; i += 1) {
      const nanny = await signUp(t, 'NANNY');
      const job = await postJob(t, parent.token);
      const application = await apply(t, nanny.token, job.id);
      booked.push(
        await processBooking(t, parent.token, {
          jobId: job.id,
          applicationId: application.id,
          paymentToken: 'tok_visa',
        }),
      );
    }
    await embeddedDriver(t).eventually(
      async () => (await getBooking(t, parent.token, booked[1].id)).data?.getBooking?.status === 'CONFIRMED',
      'the second booking to be CONFIRMED',
    );
    await t.gql(`mutation ($id: ID!) { cancelBooking(id: $id) { id } }`, { id: booked[0].id }, { token: parent.token });
    await embeddedDriver(t).eventually(async () => true, 'the cancellation to settle');
    const filter = { status: { in: ['CONFIRMED', 'CANCELLED'] } };

    const [first, second] = await firstTwoPages<BookingPage>(
      'listBookings',
      LIST_BOOKINGS,
      { customer: parent.username, filter },
      { token: parent.token },
    );
    const refused = await t.gql(
      LIST_BOOKINGS,
      { customer: parent.username, filter: { createdOn: { in: ['2026'] } } },
      { token: parent.token },
    );

    expect(first.data!.listBookings.items).toEqual([{ id: booked[1].id, status: 'CONFIRMED' }]);
    expect(second.data!.listBookings).toEqual({ items: [{ id: booked[0].id, status: 'CANCELLED' }], cursor: null });
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.createdOn.in' });
  });
});
