import { applyToJob, createJob, declineApplication, queryJobApplications, type JobApplication } from '../../src/domain';
import {
  admin,
  expectAppError,
  jobInput,
  jobWithApplications,
  nanny,
  parent,
  testDomain,
  withAccount,
} from '../support/domain';

const ids = (items: readonly JobApplication[]) => items.map((item) => item.id);

describe('queryJobApplications', () => {
  it('when a job has no applications, then the page is empty without a cursor', async () => {
    const domain = testDomain();
    const { owner, job } = await jobWithApplications(domain, 0);

    const page = await queryJobApplications(domain, owner, job.id, {});

    expect(page).toEqual({ items: [], cursor: null });
  });

  it('when applications are paged while more arrive and one is declined, then none is skipped or repeated', async () => {
    const domain = testDomain();
    const { owner, job, applications } = await jobWithApplications(domain, 5);
    const first = await queryJobApplications(domain, owner, job.id, { limit: 2 });

    const late = await applyToJob(domain, withAccount(domain, nanny()), job.id);
    await declineApplication(domain, applications[3].id, {
      jobId: job.id,
      reason: 'another nanny was booked',
      source: 'test',
      requestedAt: new Date().toISOString(),
    });
    const second = await queryJobApplications(domain, owner, job.id, { limit: 2, after: first.cursor });
    const third = await queryJobApplications(domain, owner, job.id, { limit: 2, after: second.cursor });

    expect(ids(first.items)).toEqual(ids(applications.slice(0, 2)));
    expect(ids(second.items)).toEqual(ids(applications.slice(2, 4)));
    expect(second.items[1].status).toBe('DECLINED');
    expect(ids(third.items)).toEqual([applications[4].id, late.id]);
    expect(third.cursor).toBeNull();
  });

  it('when sortBy is createdOn DESC, then the newest come first', async () => {
    const domain = testDomain();
    const { owner, job, applications } = await jobWithApplications(domain, 3);

    const page = await queryJobApplications(domain, owner, job.id, {
      sortBy: { field: 'createdOn', direction: 'DESC' },
    });

    expect(ids(page.items)).toEqual(ids([...applications].reverse()));
  });

  it.each([
    ['status eq', { status: { eq: 'DECLINED' } }, [1]],
    ['status ne', { status: { ne: 'DECLINED' } }, [0, 2]],
    ['status in', { status: { in: ['PENDING'] } }, [0, 2]],
    ['declineReason isDefined', { declineReason: { isDefined: true } }, [1]],
    ['declineReason contains', { declineReason: { contains: 'booked' } }, [1]],
    ['nanny beginsWith', { nanny: { beginsWith: 'nanny-x' } }, [2]],
    ['or with not', { or: [{ status: { eq: 'DECLINED' } }, { not: { nanny: { beginsWith: 'nanny-x' } } }] }, [0, 1]],
  ])('when the filter is %s, then exactly those applications come back', async (_name, filter, expected) => {
    const domain = testDomain();
    const owner = withAccount(domain, parent());
    const job = await createJob(domain, owner, jobInput());
    const applications = [
      await applyToJob(domain, withAccount(domain, nanny()), job.id),
      await applyToJob(domain, withAccount(domain, nanny()), job.id),
      await applyToJob(domain, withAccount(domain, nanny(`nanny-x${Date.now()}`)), job.id),
    ];
    await declineApplication(domain, applications[1].id, {
      jobId: job.id,
      reason: 'another nanny was booked',
      source: 'test',
      requestedAt: new Date().toISOString(),
    });

    const page = await queryJobApplications(domain, owner, job.id, { filter });

    expect(ids(page.items)).toEqual(expected.map((index) => applications[index].id));
  });

  it('when createdOn bounds are given, then gt, gte, lt and lte hold at their edges', async () => {
    const domain = testDomain();
    const { owner, job, applications } = await jobWithApplications(domain, 4);
    const at = applications[1].createdOn;

    const answer = async (filter: unknown) =>
      ids((await queryJobApplications(domain, owner, job.id, { filter })).items);

    expect(await answer({ createdOn: { gt: at } })).toEqual(ids(applications.slice(2)));
    expect(await answer({ createdOn: { gte: at } })).toEqual(ids(applications.slice(1)));
    expect(await answer({ createdOn: { lt: at } })).toEqual(ids(applications.slice(0, 1)));
    expect(await answer({ createdOn: { lte: at, eq: at } })).toEqual([applications[1].id]);
  });

  it('when someone other than the owner or an ADMIN asks, then it is FORBIDDEN; an ADMIN is answered', async () => {
    const domain = testDomain();
    const { job } = await jobWithApplications(domain, 1);

    await expectAppError(queryJobApplications(domain, parent(), job.id, {}), 'FORBIDDEN');
    await expect(queryJobApplications(domain, admin(), job.id, {})).resolves.toMatchObject({ cursor: null });
  });

  it('when the filter names a field applications do not have, then it is BAD_USER_INPUT naming it', async () => {
    const domain = testDomain();
    const { owner, job } = await jobWithApplications(domain, 1);

    await expectAppError(
      queryJobApplications(domain, owner, job.id, { filter: { city: { eq: 'Leeds' } } }),
      'BAD_USER_INPUT',
      'filter.city',
    );
  });
});
