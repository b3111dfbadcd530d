import { APPLY, CREATE_JOB, NEXT_YEAR, apply, jobInput, postJob, signUp } from './support/fixtures';
import { TEST_API_KEY, errorCodes, startTestSystem, uniqueName, type TestSystem } from './support/harness';

const GET_JOB = `query ($id: ID!) { getJob(id: $id) { id owner status cost latitude longitude startDate endDate } }`;
const LIST_JOBS = `query ($status: JobStatus!, $limit: Int, $after: String) {
  listJobsByStatus(jobStatus: $status, limit: $limit, afterCursor: $after) { items { id createdOn } cursor }
}`;
const LIST_APPLICATIONS = `query ($jobId: ID!) { listJobApplications(jobId: $jobId) { id nanny status jobId } }`;
const APPLIED_TO = `query ($username: String!) { listJobsAppliedTo(username: $username) { id status job { id city } } }`;

type JobPage = { listJobsByStatus: { items: Array<{ id: string }>; cursor: string | null } };

describe('jobs and applications through the gateway', () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('when a parent posts a job, then every field is stored exactly as entered and the job is OPEN', async () => {
    const parent = await signUp(t, 'PARENT');
    const input = jobInput({
      latitude: 12.345678,
      longitude: -98.765432,
      cost: '99.95',
      startDate: `${NEXT_YEAR}-05-10`,
      endDate: `${NEXT_YEAR}-05-12`,
    });

    const response = await t.gql(CREATE_JOB, { job: input }, { token: parent.token });

    expect(response.errors).toBeUndefined();
    expect(response.data?.createJob).toMatchObject({ ...input, owner: parent.username, status: 'OPEN' });
  });

  it('when a nanny posts a job, then it is FORBIDDEN', async () => {
    const nanny = await signUp(t, 'NANNY');

    const response = await t.gql(CREATE_JOB, { job: jobInput() }, { token: nanny.token });

    expect(errorCodes(response)).toEqual(['FORBIDDEN']);
  });

  it.each([
    ['endDate', { startDate: '2027-03-05', endDate: '2027-03-01' }],
    ['latitude', { latitude: 91 }],
    ['longitude', { longitude: -181 }],
    ['cost', { cost: '-5.00' }],
    ['cost', { cost: '12.5.0' }],
    ['startDate', { startDate: '2027-02-30' }],
    ['startTime', { startTime: '25:00' }],
  ])('when %s is invalid, then createJob is BAD_USER_INPUT naming it', async (field, overrides) => {
    const parent = await signUp(t, 'PARENT');

    const response = await t.gql(CREATE_JOB, { job: jobInput(overrides) }, { token: parent.token });

    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors?.[0].extensions?.field).toBe(field);
  });

  it('when a job is read by id, then it comes back; an unknown id is null', async () => {
    const parent = await signUp(t, 'PARENT');
    const job = await postJob(t, parent.token);

    const found = await t.gql(GET_JOB, { id: job.id }, { token: parent.token });
    const missing = await t.gql(GET_JOB, { id: 'no-such-job' }, { token: parent.token });

    expect(found.data?.getJob).toMatchObject({ id: job.id, owner: parent.username, cost: '120.00' });
    expect(missing.errors).toBeUndefined();
    expect(missing.data?.getJob).toBeNull();
  });

  it('when open jobs are paged while new ones arrive, then pages are newest first with no repeats', async () => {
    const parent = await signUp(t, 'PARENT');
    const before = [];
    for (let i = 0; i < 3; i += 1) before.push(await postJob(t, parent.token));

    const first = await t.gql<JobPage>(LIST_JOBS, { status: 'OPEN', limit: 2 }, { token: parent.token });
    await postJob(t, parent.token);
    const second = await t.gql<JobPage>(
      LIST_JOBS,
      { status: 'OPEN', limit: 2, after: first.data?.listJobsByStatus.cursor },
      { token: parent.token },
    );

    const firstIds = first.data!.listJobsByStatus.items.map((job) => job.id);
    const secondIds = second.data!.listJobsByStatus.items.map((job) => job.id);
    expect(firstIds).toEqual([before[2].id, before[1].id]);
    expect(secondIds[0]).toBe(before[0].id);
    expect(secondIds.filter((id) => firstIds.includes(id))).toEqual([]);
  });

  it('when open jobs are listed with the API key instead of a token, then the list is served', async () => {
    const response = await t.gql<JobPage>(LIST_JOBS, { status: 'OPEN', limit: 1 }, { apiKey: TEST_API_KEY });

    expect(response.errors).toBeUndefined();
    expect(Array.isArray(response.data?.listJobsByStatus.items)).toBe(true);
  });

  it('when limit is out of range, then it is BAD_USER_INPUT', async () => {
    const response = await t.gql(LIST_JOBS, { status: 'OPEN', limit: 0 }, { apiKey: TEST_API_KEY });

    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
  });

  it('when a nanny applies, then the application is PENDING and appears for the owner and the nanny', async () => {
    const parent = await signUp(t, 'PARENT');
    const nanny = await signUp(t, 'NANNY');
    const job = await postJob(t, parent.token, { city: 'York' });

    const application = await apply(t, nanny.token, job.id);
    const forOwner = await t.gql(LIST_APPLICATIONS, { jobId: job.id }, { token: parent.token });
    const forNanny = await t.gql(APPLIED_TO, { username: nanny.username }, { token: nanny.token });

    expect(forOwner.data?.listJobApplications).toEqual([
      { id: application.id, nanny: nanny.username, status: 'PENDING', jobId: job.id },
    ]);
    expect(forNanny.data?.listJobsAppliedTo).toEqual([
      { id: application.id, status: 'PENDING', job: { id: job.id, city: 'York' } },
    ]);
  });

  it('when a nanny applies twice to one job, then the second is CONFLICT', async () => {
    const parent = await signUp(t, 'PARENT');
    const nanny = await signUp(t, 'NANNY');
    const job = await postJob(t, parent.token);
    await apply(t, nanny.token, job.id);

    const again = await t.gql(APPLY, { jobId: job.id }, { token: nanny.token });

    expect(errorCodes(again)).toEqual(['CONFLICT']);
  });

  it('when a parent applies or a nanny applies to an unknown job, then FORBIDDEN and NOT_FOUND', async () => {
    const parent = await signUp(t, 'PARENT');
    const nanny = await signUp(t, 'NANNY');
    const job = await postJob(t, parent.token);

    const byParent = await t.gql(APPLY, { jobId: job.id }, { token: parent.token });
    const unknownJob = await t.gql(APPLY, { jobId: 'no-such-job' }, { token: nanny.token });

    expect(errorCodes(byParent)).toEqual(['FORBIDDEN']);
    expect(errorCodes(unknownJob)).toEqual(['NOT_FOUND']);
  });

  it('when someone other than the owner or an admin lists applications, then FORBIDDEN; an admin may', async () => {
    const parent = await signUp(t, 'PARENT');
    const otherParent = await signUp(t, 'PARENT');
    const job = await postJob(t, parent.token);

    const byOther = await t.gql(LIST_APPLICATIONS, { jobId: job.id }, { token: otherParent.token });
    const byAdmin = await t.gql(
      LIST_APPLICATIONS,
      { jobId: job.id },
      { token: t.tokenFor(uniqueName('admin'), 'ADMIN') },
    );

    expect(errorCodes(byOther)).toEqual(['FORBIDDEN']);
    expect(byAdmin.data?.listJobApplications).toEqual([]);
  });

  it("when a nanny lists another nanny's applications, then FORBIDDEN", async () => {
    const nanny = await signUp(t, 'NANNY');
    const other = await signUp(t, 'NANNY');

    const response = await t.gql(APPLIED_TO, { username: nanny.username }, { token: other.token });

    expect(errorCodes(response)).toEqual(['FORBIDDEN']);
  });
});
