import type { StateStore } from '@sitter/ports';
import {
  applyToJob,
  createJob,
  queryJobs,
  reserveApplication,
  viewJobQuery,
  type Job,
  type JobDomain,
  type JobQuery,
} from '../../src/domain';
import { expectAppError, jobInput, nanny, parent, testDomain, withAccount } from '../support/domain';

type Domain = ReturnType<typeof testDomain>;

/** Small index pages, so a handful of jobs spans several of them. */
const smallPages = (): Domain => ({ ...testDomain(), jobIndexPageSize: 3 });

const postJobs = async (domain: Domain, count: number): Promise<Job[]> => {
  const owner = withAccount(domain, parent());
  const jobs: Job[] = [];
  for (let i = 0; i < count; i += 1) jobs.push(await createJob(domain, owner, jobInput({ address: `${i} Main St` })));
  return jobs;
};

const book = async (domain: Domain, job: Job): Promise<void> => {
  const application = await applyToJob(domain, withAccount(domain, nanny()), job.id);
  await reserveApplication(domain, { username: job.owner, roles: ['PARENT'] }, job.id, {
    applicationId: application.id,
  });
};

const ids = (jobs: readonly Job[]) => jobs.map((job) => job.id);
const newestFirst = (jobs: readonly Job[]) => [...jobs].reverse();

/** Every page of the query, following the cursors. */
const allPages = async (domain: JobDomain, query: JobQuery): Promise<Job[][]> => {
  const pages: Job[][] = [];
  let after: string | null | undefined;
  do {
    const page = await queryJobs(domain, { ...query, after });
    pages.push(page.items);
    after = page.cursor;
  } while (after);
  return pages;
};

/** The store with a count of the index records each call reads, to show a query reads only what it answers. */
const countingIndexReads = (store: StateStore): { store: StateStore; reads: () => number } => {
  let reads = 0;
  const counted: StateStore = {
    get: (key) => {
      if (key.startsWith('jobs-by-status')) reads += 1;
      return store.get(key);
    },
    getBulk: (keys) => store.getBulk(keys),
    save: (key, value, condition) => store.save(key, value, condition),
    delete: (key, condition) => store.delete(key, condition),
    transact: (operations) => store.transact(operations),
  };
  return { store: counted, reads: () => reads };
};

describe('queryJobs', () => {
  it('when there are no jobs, then the page is empty and has no cursor', async () => {
    const domain = smallPages();

    const page = await queryJobs(domain, { filter: { status: { eq: 'OPEN' } } });

    expect(page).toEqual({ items: [], cursor: null });
  });

  it('when open jobs are paged, then the pages are newest first and the last one has no cursor', async () => {
    const domain = smallPages();
    const jobs = await postJobs(domain, 7);

    const pages = await allPages(domain, { filter: { status: { eq: 'OPEN' } }, limit: 3 });

    expect(pages.map(ids)).toEqual([
      ids(newestFirst(jobs.slice(4))),
      ids(newestFirst(jobs.slice(1, 4))),
      ids(jobs.slice(0, 1)),
    ]);
  });

  it('when jobs are posted and booked between pages, then no job is skipped or repeated', async () => {
    const domain = smallPages();
    const jobs = await postJobs(domain, 6);
    const query = { filter: { status: { in: ['OPEN', 'CLOSED'] } }, limit: 3 };
    const first = await queryJobs(domain, query);

    await postJobs(domain, 2);
    await book(domain, jobs[5]); // already shown
    await book(domain, jobs[1]); // not shown yet: moves from OPEN to CLOSED
    const second = await queryJobs(domain, { ...query, after: first.cursor });

    expect(ids(first.items)).toEqual(ids(newestFirst(jobs.slice(3))));
    expect(ids(second.items)).toEqual(ids(newestFirst(jobs.slice(0, 3))));
    expect(second.items.find((job) => job.id === jobs[1].id)?.status).toBe('CLOSED');
    expect(second.cursor).toBeNull();
  });

  it('when a job not yet shown is booked between pages of OPEN jobs, then it leaves the answer', async () => {
    const domain = smallPages();
    const jobs = await postJobs(domain, 4);
    const first = await queryJobs(domain, { filter: { status: { eq: 'OPEN' } }, limit: 2 });

    await book(domain, jobs[0]);
    const second = await queryJobs(domain, { filter: { status: { eq: 'OPEN' } }, limit: 2, after: first.cursor });

    expect(ids(second.items)).toEqual([jobs[1].id]);
    expect(second.cursor).toBeNull();
  });

  describe('each operator', () => {
    let domain: Domain;
    let jobs: Job[];
    let open: Job[];
    let closed: Job[];

    beforeAll(async () => {
      domain = smallPages();
      jobs = await postJobs(domain, 8);
      await book(domain, jobs[2]);
      await book(domain, jobs[5]);
      const closedIds = [jobs[2].id, jobs[5].id];
      closed = jobs.filter((job) => closedIds.includes(job.id));
      open = jobs.filter((job) => !closedIds.includes(job.id));
    });

    const answer = async (filter: unknown): Promise<string[]> =>
      (await allPages(domain, { filter, limit: 2 })).flat().map((job) => job.id);
    const at = (index: number) => jobs[index].createdOn;

    it.each<[string, () => unknown, () => Job[]]>([
      ['status eq', () => ({ status: { eq: 'CLOSED' } }), () => closed],
      ['status ne', () => ({ status: { ne: 'CLOSED' } }), () => open],
      ['status in', () => ({ status: { in: ['OPEN', 'CLOSED'] } }), () => jobs],
      ['status isDefined', () => ({ status: { isDefined: true } }), () => jobs],
      ['not', () => ({ not: { status: { eq: 'OPEN' } } }), () => closed],
      ['or', () => ({ or: [{ status: { eq: 'OPEN' } }, { status: { eq: 'CLOSED' } }] }), () => jobs],
      ['createdOn eq', () => ({ createdOn: { eq: at(3) } }), () => [jobs[3]]],
      ['createdOn gt', () => ({ createdOn: { gt: at(5) } }), () => jobs.slice(6)],
      ['createdOn gte', () => ({ createdOn: { gte: at(5) } }), () => jobs.slice(5)],
      ['createdOn lt', () => ({ createdOn: { lt: at(2) } }), () => jobs.slice(0, 2)],
      ['createdOn lte', () => ({ createdOn: { lte: at(2) } }), () => jobs.slice(0, 3)],
      ['createdOn beginsWith', () => ({ createdOn: { beginsWith: at(4) } }), () => [jobs[4]]],
      ['createdOn isDefined', () => ({ createdOn: { isDefined: true } }), () => jobs],
      [
        'and of a status and a createdOn range',
        () => ({ and: [{ status: { eq: 'OPEN' } }, { createdOn: { gte: at(1), lt: at(6) } }] }),
        () => [jobs[1], jobs[3], jobs[4]],
      ],
    ])('when the filter is %s, then exactly its jobs come back, newest first', async (_name, filter, expected) => {
      const found = await answer(filter());

      expect(found).toEqual(ids(newestFirst(expected())));
    });

    it('when the filter holds for no job, then the answer is empty', async () => {
      const found = await answer({ createdOn: { beginsWith: '1999' } });

      expect(found).toEqual([]);
    });
  });

  it.each([
    ['createdOn contains', { createdOn: { contains: 'T08' } }, 'filter.createdOn.contains'],
    ['createdOn ne', { createdOn: { ne: '2030' } }, 'filter.createdOn.ne'],
    ['createdOn under or', { or: [{ status: { eq: 'OPEN' } }, { createdOn: { gt: '2030' } }] }, 'filter.or'],
    ['createdOn under not', { not: { createdOn: { gt: '2030' } } }, 'filter.not'],
  ])(
    'when the filter asks for %s, which the index cannot serve, then it is BAD_USER_INPUT naming it',
    async (_name, filter, field) => {
      const domain = smallPages();
      await postJobs(domain, 2);

      await expectAppError(queryJobs(domain, { filter }), 'BAD_USER_INPUT', field);
    },
  );

  it('when sortBy asks for oldest first while jobs are posted and booked between pages, then none is skipped or repeated', async () => {
    const domain = smallPages();
    const jobs = await postJobs(domain, 7);
    const query = {
      filter: { status: { in: ['OPEN', 'CLOSED'] } },
      sortBy: { field: 'createdOn', direction: 'ASC' },
      limit: 3,
    };
    const first = await queryJobs(domain, query);

    const later = await postJobs(domain, 2);
    await book(domain, jobs[4]);
    const second = await queryJobs(domain, { ...query, after: first.cursor });
    const third = await queryJobs(domain, { ...query, after: second.cursor });

    expect(ids(first.items)).toEqual(ids(jobs.slice(0, 3)));
    expect(ids(second.items)).toEqual(ids(jobs.slice(3, 6)));
    expect(second.items.find((job) => job.id === jobs[4].id)?.status).toBe('CLOSED');
    expect(ids(third.items)).toEqual(ids([jobs[6], ...later]));
    expect(third.cursor).toBeNull();
  });

  it('when oldest-first pages do not line up with the index pages, then each page holds the next oldest jobs', async () => {
    const domain = smallPages();
    const jobs = await postJobs(domain, 7);

    const pages = await allPages(domain, { sortBy: { field: 'createdOn', direction: 'ASC' }, limit: 2 });

    expect(pages.map(ids)).toEqual([0, 2, 4, 6].map((start) => ids(jobs.slice(start, start + 2))));
  });

  it('when sortBy asks for oldest first within a createdOn range, then the walk starts at its bottom and stops at its top', async () => {
    const domain = smallPages();
    const jobs = await postJobs(domain, 30);
    const counting = countingIndexReads(domain.store);

    const page = await queryJobs(
      { ...domain, store: counting.store },
      {
        filter: { status: { eq: 'OPEN' }, createdOn: { gt: jobs[10].createdOn, lt: jobs[14].createdOn } },
        sortBy: { field: 'createdOn', direction: 'ASC' },
      },
    );

    expect(ids(page.items)).toEqual(ids(jobs.slice(11, 14)));
    expect(page.cursor).toBeNull();
    // The head and the pages holding jobs 11 to 13: not the 10 pages.
    expect(counting.reads()).toBeLessThanOrEqual(4);
  });

  it('when a createdOn range selects a few jobs among many, then only the index pages around them are read', async () => {
    const domain = smallPages();
    const jobs = await postJobs(domain, 30);
    const counting = countingIndexReads(domain.store);

    const page = await queryJobs(
      { ...domain, store: counting.store },
      { filter: { status: { eq: 'OPEN' }, createdOn: { gte: jobs[16].createdOn, lte: jobs[17].createdOn } } },
    );

    expect(ids(page.items)).toEqual([jobs[17].id, jobs[16].id]);
    expect(page.cursor).toBeNull();
    // The newest page, the head, the page holding the range's top and the one below it: not the 10 pages.
    expect(counting.reads()).toBeLessThanOrEqual(4);
  });

  it('when there is no caller and the filter allows CLOSED jobs, then it is UNAUTHENTICATED', async () => {
    const domain = smallPages();

    await expectAppError(viewJobQuery(domain, undefined, { filter: { status: { ne: 'OPEN' } } }), 'UNAUTHENTICATED');
    await expectAppError(viewJobQuery(domain, undefined, {}), 'UNAUTHENTICATED');
  });

  it('when there is no caller and the filter selects OPEN jobs, then they come without addresses', async () => {
    const domain = smallPages();
    await postJobs(domain, 2);

    const page = await viewJobQuery(domain, undefined, { filter: { status: { eq: 'OPEN' } } });

    expect(page.items).toHaveLength(2);
    expect(page.items.every((job) => !('address' in job))).toBe(true);
  });
});
