import type { CommittedOperation } from '@sitter/embedded-runtime';
import {
  applyToJob,
  createJob,
  Keys,
  listJobs,
  releaseReservation,
  reserveApplication,
  type Job,
  type JobStatus,
} from '../../src/domain';
import { jobInput, nanny, parent, testDomain, withAccount } from '../support/domain';
import { storedIds, storedIndex } from '../support/status-index';

type Domain = ReturnType<typeof testDomain>;

const PAGE_SIZE = 3;

const smallPages = (pageSize = PAGE_SIZE): Domain => ({ ...testDomain(), jobIndexPageSize: pageSize });

const postJobs = async (domain: Domain, count: number): Promise<{ owner: ReturnType<typeof parent>; jobs: Job[] }> => {
  const owner = withAccount(domain, parent());
  const jobs: Job[] = [];
  for (let i = 0; i < count; i += 1) jobs.push(await createJob(domain, owner, jobInput({ address: `${i} Main St` })));
  return { owner, jobs };
};

const ids = (jobs: readonly Job[]) => jobs.map((job) => job.id);
const newestFirst = (jobs: readonly Job[]) => ids([...jobs].reverse());

const listAll = async (domain: Domain, status: JobStatus, limit: number): Promise<string[]> => {
  const seen: string[] = [];
  let after: string | undefined;
  do {
    const page = await listJobs(domain, { status, limit: String(limit), after });
    seen.push(...ids(page.items));
    after = page.cursor ?? undefined;
    if (seen.length > 1000) throw new Error('the cursor never reaches the end');
  } while (after);
  return seen;
};

const book = async (domain: Domain, owner: ReturnType<typeof parent>, job: Job) => {
  const application = await applyToJob(domain, withAccount(domain, nanny()), job.id);
  await reserveApplication(domain, owner, job.id, { applicationId: application.id });
  return application;
};

/** Records what each commit writes, through the store's own change feed. */
/** The job records and their status index of each commit; the domain events written with them are left out. */
const recordCommits = (domain: Domain): CommittedOperation[][] => {
  const commits: CommittedOperation[][] = [];
  domain.store.attachSink({
    append: (operations) => void commits.push(operations.filter((operation) => !operation.key.startsWith('events-'))),
  });
  return commits;
};

const bytes = (operation: CommittedOperation) =>
  operation.kind === 'upsert' ? Buffer.byteLength(JSON.stringify(operation.value)) : 0;

const shuffled = <T>(items: readonly T[], seed: number): T[] => {
  const result = [...items];
  let state = seed;
  for (let i = result.length - 1; i > 0; i -= 1) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [result[i], result[j]] = [result[j], result[i]];
  }
  return result;
};

describe('jobs-by-status pages', () => {
  it('when there are more jobs than fit in a page, then every small limit lists them all in order across pages', async () => {
    const domain = smallPages();
    const { jobs } = await postJobs(domain, 10);

    const layout = await storedIndex(domain.store, 'OPEN', PAGE_SIZE);

    expect(layout.pages.length).toBeGreaterThanOrEqual(4);
    for (const limit of [1, 2, 3, 4, 7, 10, 100]) {
      expect(await listAll(domain, 'OPEN', limit)).toEqual(newestFirst(jobs));
    }
  });

  it('when the cursor points into an older page, then the next page continues right after it', async () => {
    const domain = smallPages();
    const { jobs } = await postJobs(domain, 10);
    const first = await listJobs(domain, { limit: '5' });

    const second = await listJobs(domain, { limit: '3', after: first.cursor });

    expect(ids(second.items)).toEqual(newestFirst(jobs).slice(5, 8));
    expect(second.cursor).toEqual(expect.any(String));
  });

  it('when a job in a middle page is booked, then exactly it leaves the OPEN index and only its page is rewritten', async () => {
    const domain = smallPages();
    const { owner, jobs } = await postJobs(domain, 10);
    const before = await storedIndex(domain.store, 'OPEN', PAGE_SIZE);
    const middle = before.pages[2];
    const target = jobs[4];
    const application = await applyToJob(domain, withAccount(domain, nanny()), target.id);
    const commits = recordCommits(domain);

    await reserveApplication(domain, owner, target.id, { applicationId: application.id });

    const openKeysWritten = commits
      .flat()
      .map((operation) => operation.key)
      .filter((key) => key.startsWith(`${Keys.jobsByStatus('OPEN')}`));
    expect(openKeysWritten).toEqual([Keys.jobsByStatusPage('OPEN', middle.page)]);
    expect(await storedIds(domain.store, 'OPEN', PAGE_SIZE)).toEqual(
      newestFirst(jobs).filter((id) => id !== target.id),
    );
    expect(await listAll(domain, 'OPEN', 2)).toEqual(newestFirst(jobs).filter((id) => id !== target.id));
    expect(await listAll(domain, 'CLOSED', 2)).toEqual([target.id]);
  });

  it('when every job of a middle page is booked, then the page is dropped and listing still misses nothing', async () => {
    const domain = smallPages();
    const { owner, jobs } = await postJobs(domain, 10);
    const before = await storedIndex(domain.store, 'OPEN', PAGE_SIZE);
    const middleIds = before.entries.slice(4, 7).map((entry) => entry.id);
    expect(before.pages.map((page) => page.size)).toEqual([1, 3, 3, 3]);

    for (const id of middleIds)
      await book(
        domain,
        owner,
        jobs.find((job) => job.id === id)!,
      );

    const after = await storedIndex(domain.store, 'OPEN', PAGE_SIZE);
    expect(after.pages.map((page) => page.size)).toEqual([1, 3, 3]);
    expect(await listAll(domain, 'OPEN', 2)).toEqual(newestFirst(jobs).filter((id) => !middleIds.includes(id)));
  });

  it('when jobs are booked and released out of creation order, then both lists stay complete and sorted', async () => {
    const domain = smallPages();
    const { owner, jobs } = await postJobs(domain, 10);
    const applications = new Map<string, string>();

    for (const job of shuffled(jobs, 7)) applications.set(job.id, (await book(domain, owner, job)).id);

    expect(await listAll(domain, 'CLOSED', 2)).toEqual(newestFirst(jobs));
    expect(await storedIds(domain.store, 'CLOSED', PAGE_SIZE)).toEqual(newestFirst(jobs));
    expect((await storedIndex(domain.store, 'OPEN', PAGE_SIZE)).pages).toEqual([{ page: 'newest', size: 0 }]);

    for (const job of shuffled(jobs, 11)) await releaseReservation(domain, owner, job.id, applications.get(job.id)!);

    expect(await listAll(domain, 'OPEN', 3)).toEqual(newestFirst(jobs));
    expect(await storedIds(domain.store, 'OPEN', PAGE_SIZE)).toEqual(newestFirst(jobs));
    expect(await listAll(domain, 'CLOSED', 3)).toEqual([]);
  });

  it('when a booked job is released after newer jobs were posted, then it is back at its createdOn position', async () => {
    const domain = smallPages();
    const { owner, jobs } = await postJobs(domain, 5);
    const application = await book(domain, owner, jobs[1]);
    const { jobs: later } = await postJobs(domain, 6);

    await releaseReservation(domain, owner, jobs[1].id, application.id);

    const expected = newestFirst([...jobs, ...later]);
    expect(await storedIds(domain.store, 'OPEN', PAGE_SIZE)).toEqual(expected);
    expect(await listAll(domain, 'OPEN', 4)).toEqual(expected);
  });

  it('when 30 parents post at once, then every job is in the OPEN index exactly once, in order', async () => {
    const domain = smallPages();
    const owners = Array.from({ length: 30 }, () => withAccount(domain, parent()));

    const jobs = await Promise.all(owners.map((owner, i) => createJob(domain, owner, jobInput({ address: `${i}` }))));

    const byAge = [...jobs].sort((a, b) => (a.createdOn === b.createdOn ? 0 : a.createdOn < b.createdOn ? -1 : 1));
    const stored = await storedIds(domain.store, 'OPEN', PAGE_SIZE);
    expect(stored).toHaveLength(30);
    expect(new Set(stored).size).toBe(30);
    expect(stored).toEqual(newestFirst(byAge));
    expect(await listAll(domain, 'OPEN', 7)).toEqual(newestFirst(byAge));
  });

  it('when jobs keep coming, then what one createJob writes stops growing and the head is written once per page', async () => {
    const pageSize = 5;
    const domain = smallPages(pageSize);
    const owner = withAccount(domain, parent());
    const commits = recordCommits(domain);

    for (let i = 0; i < 120; i += 1) await createJob(domain, owner, jobInput());

    const head = Keys.jobsByStatus('OPEN');
    const touchesHead = (commit: CommittedOperation[]) => commit.some((operation) => operation.key === head);
    const size = (commit: CommittedOperation[]) => commit.reduce((sum, operation) => sum + bytes(operation), 0);
    const largestWithoutHead = (from: number, to: number) =>
      Math.max(
        ...commits
          .slice(from, to)
          .filter((commit) => !touchesHead(commit))
          .map(size),
      );
    // With one record per status, commit 120 would carry 120 entries and every commit would touch the head.
    expect(largestWithoutHead(100, 120)).toBeLessThanOrEqual(largestWithoutHead(10, 30));
    // The job, then per paged index (jobs-by-status and the job's jobs-near cell) at most its page, a new page and
    // its head.
    expect(commits.every((commit) => commit.length <= 7)).toBe(true);
    const headWrites = commits.filter(touchesHead).length;
    const { pages } = await storedIndex(domain.store, 'OPEN', pageSize);
    expect(headWrites).toBe(pages.length - 1);
    expect(headWrites).toBeLessThanOrEqual(120 / pageSize);
  });
});
