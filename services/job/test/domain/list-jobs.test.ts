import { createJob, listJobs, reserveApplication, applyToJob, type Job } from '../../src/domain';
import { expectAppError, jobInput, nanny, parent, testDomain, withAccount } from '../support/domain';

type Domain = ReturnType<typeof testDomain>;

const postJobs = async (domain: Domain, count: number): Promise<Job[]> => {
  const owner = withAccount(domain, parent());
  const jobs: Job[] = [];
  for (let i = 0; i < count; i += 1) jobs.push(await createJob(domain, owner, jobInput({ address: `${i} Main St` })));
  return jobs;
};

const ids = (jobs: readonly Job[]) => jobs.map((job) => job.id);

describe('listJobs', () => {
  it('when no status or limit is given, then the 20 newest OPEN jobs come first with a cursor', async () => {
    const domain = testDomain();
    const jobs = await postJobs(domain, 23);

    const page = await listJobs(domain, {});

    expect(ids(page.items)).toEqual(ids(jobs.slice(-20).reverse()));
    expect(page.cursor).toEqual(expect.any(String));
  });

  it('when the last page is read, then the cursor is null', async () => {
    const domain = testDomain();
    const jobs = await postJobs(domain, 5);

    const first = await listJobs(domain, { limit: '3' });
    const second = await listJobs(domain, { limit: '3', after: first.cursor });

    expect(ids(first.items)).toEqual(ids(jobs.slice(2).reverse()));
    expect(ids(second.items)).toEqual(ids(jobs.slice(0, 2).reverse()));
    expect(second.cursor).toBeNull();
  });

  it('when a page ends exactly at the last job, then its cursor is null', async () => {
    const domain = testDomain();
    await postJobs(domain, 4);

    const page = await listJobs(domain, { limit: '4' });

    expect(page.items).toHaveLength(4);
    expect(page.cursor).toBeNull();
  });

  it('when jobs are posted between two pages, then the next page has no duplicates and misses nothing older', async () => {
    const domain = testDomain();
    const older = await postJobs(domain, 6);
    const first = await listJobs(domain, { limit: '3' });

    await postJobs(domain, 4);
    const second = await listJobs(domain, { limit: '3', after: first.cursor });

    expect(ids(second.items)).toEqual(ids(older.slice(0, 3).reverse()));
    expect(ids(second.items).filter((id) => ids(first.items).includes(id))).toEqual([]);
    expect(second.cursor).toBeNull();
  });

  it('when jobs share a creation time, then pages still split them without duplicates', async () => {
    const frozen = { now: () => new Date('2030-01-05T10:00:00.000Z') };
    const domain = testDomain({}, frozen);
    const jobs = await postJobs(domain, 5);

    const seen: string[] = [];
    let cursor: string | null | undefined;
    do {
      const page = await listJobs(domain, { limit: '2', after: cursor ?? undefined });
      seen.push(...ids(page.items));
      cursor = page.cursor;
    } while (cursor);

    expect([...seen].sort()).toEqual(ids(jobs).sort());
    expect(new Set(seen).size).toBe(5);
  });

  it('when a job is booked, then it moves from the OPEN list to the CLOSED list', async () => {
    const domain = testDomain();
    const owner = withAccount(domain, parent());
    const job = await createJob(domain, owner, jobInput());
    const application = await applyToJob(domain, withAccount(domain, nanny()), job.id);

    await reserveApplication(domain, owner, job.id, { applicationId: application.id });

    expect((await listJobs(domain, { status: 'OPEN' })).items).toEqual([]);
    expect(ids((await listJobs(domain, { status: 'CLOSED' })).items)).toEqual([job.id]);
  });

  it('when nothing was ever posted, then the page is empty with a null cursor', async () => {
    expect(await listJobs(testDomain(), {})).toEqual({ items: [], cursor: null });
  });

  describe('when the query is invalid, then BAD_USER_INPUT names the field', () => {
    it.each([
      ['limit 0', { limit: '0' }, 'limit'],
      ['limit 101', { limit: '101' }, 'limit'],
      ['limit not a number', { limit: 'ten' }, 'limit'],
      ['limit with a fraction', { limit: '2.5' }, 'limit'],
      ['unknown status', { status: 'PENDING' }, 'status'],
      ['cursor not base64url', { after: 'not a cursor!' }, 'afterCursor'],
      ['cursor not JSON', { after: Buffer.from('hello').toString('base64url') }, 'afterCursor'],
      ['cursor JSON of the wrong shape', { after: Buffer.from('{"x":1}').toString('base64url') }, 'afterCursor'],
    ])('%s', async (_name, query, field) => {
      await expectAppError(listJobs(testDomain(), query), 'BAD_USER_INPUT', field);
    });
  });

  it('when limit is 100, then it is accepted', async () => {
    const domain = testDomain();
    await postJobs(domain, 2);

    expect((await listJobs(domain, { limit: '100' })).items).toHaveLength(2);
  });
});
