import {
  applyToJob,
  createJob,
  Keys,
  listJobApplications,
  listNannyApplications,
  reserveApplication,
} from '../../src/domain';
import { admin, expectAppError, jobInput, nanny, parent, testDomain, withAccount } from '../support/domain';

type Domain = ReturnType<typeof testDomain>;

const openJob = async (domain: Domain) => {
  const owner = withAccount(domain, parent());
  return { owner, job: await createJob(domain, owner, jobInput()) };
};

describe('applyToJob', () => {
  it('when an active nanny applies to an open job, then a PENDING application is stored and indexed both ways', async () => {
    const domain = testDomain();
    const { job } = await openJob(domain);
    const applicant = withAccount(domain, nanny());

    const application = await applyToJob(domain, applicant, job.id);

    expect(application).toEqual({
      id: expect.any(String),
      jobId: job.id,
      nanny: applicant.username,
      status: 'PENDING',
      createdOn: expect.any(String),
      updatedOn: application.createdOn,
    });
    expect((await domain.store.get(Keys.application(application.id)))?.value).toEqual(application);
    expect((await domain.store.get(Keys.applicationsByJob(job.id)))?.value).toEqual({
      entries: [{ applicationId: application.id, nanny: applicant.username }],
    });
    expect((await domain.store.get(Keys.applicationsByNanny(applicant.username)))?.value).toEqual({
      entries: [{ applicationId: application.id, jobId: job.id }],
    });
  });

  it('when the caller is not a nanny, then FORBIDDEN', async () => {
    const domain = testDomain();
    const { job } = await openJob(domain);

    await expectAppError(applyToJob(domain, withAccount(domain, parent()), job.id), 'FORBIDDEN');
    await expectAppError(applyToJob(domain, withAccount(domain, admin()), job.id), 'FORBIDDEN');
  });

  it('when the nanny has no profile, then FORBIDDEN asking to create it', async () => {
    const domain = testDomain();
    const { job } = await openJob(domain);

    const error = await expectAppError(applyToJob(domain, nanny(), job.id), 'FORBIDDEN');

    expect(error.message).toBe('create your user profile first');
  });

  it('when the nanny account is deactivated, then FORBIDDEN', async () => {
    const domain = testDomain();
    const { job } = await openJob(domain);
    const applicant = nanny();
    domain.accounts.set(applicant.username, 'DEACTIVATED');

    await expectAppError(applyToJob(domain, applicant, job.id), 'FORBIDDEN');
  });

  it('when the job does not exist, then NOT_FOUND', async () => {
    const domain = testDomain();

    await expectAppError(applyToJob(domain, withAccount(domain, nanny()), 'no-such-job'), 'NOT_FOUND');
  });

  it('when the job is closed, then CONFLICT "job is not open"', async () => {
    const domain = testDomain();
    const { owner, job } = await openJob(domain);
    const first = await applyToJob(domain, withAccount(domain, nanny()), job.id);
    await reserveApplication(domain, owner, job.id, { applicationId: first.id });

    const error = await expectAppError(applyToJob(domain, withAccount(domain, nanny()), job.id), 'CONFLICT');

    expect(error.message).toBe('job is not open');
  });

  it('when the nanny applies twice, then the second is CONFLICT', async () => {
    const domain = testDomain();
    const { job } = await openJob(domain);
    const applicant = withAccount(domain, nanny());
    await applyToJob(domain, applicant, job.id);

    await expectAppError(applyToJob(domain, applicant, job.id), 'CONFLICT');
  });

  it('when a user with both roles applies to their own job, then FORBIDDEN', async () => {
    const domain = testDomain();
    const both = withAccount(domain, { username: `both-${Date.now()}`, roles: ['PARENT', 'NANNY'] as const });
    const job = await createJob(domain, both, jobInput());

    await expectAppError(applyToJob(domain, both, job.id), 'FORBIDDEN');
  });

  it('when 20 distinct nannies apply in parallel, then all 20 are in the job index', async () => {
    const domain = testDomain();
    const { job } = await openJob(domain);
    const applicants = Array.from({ length: 20 }, () => withAccount(domain, nanny()));

    const applications = await Promise.all(applicants.map((applicant) => applyToJob(domain, applicant, job.id)));

    const index = await domain.store.get<{ entries: Array<{ applicationId: string }> }>(Keys.applicationsByJob(job.id));
    expect(index?.value.entries.map((entry) => entry.applicationId).sort()).toEqual(
      applications.map((application) => application.id).sort(),
    );
  });

  it('when the same nanny applies 5 times in parallel, then exactly one succeeds and four are CONFLICT', async () => {
    const domain = testDomain();
    const { job } = await openJob(domain);
    const applicant = withAccount(domain, nanny());

    const results = await Promise.allSettled(Array.from({ length: 5 }, () => applyToJob(domain, applicant, job.id)));

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
    expect(failures.map((error) => error.code)).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT']);
    expect((await listJobApplications(domain, admin(), job.id)).map((app) => app.nanny)).toEqual([applicant.username]);
  });

  it('when one nanny applies to several jobs in parallel, then every application is in the nanny index', async () => {
    const domain = testDomain();
    const jobs = await Promise.all([openJob(domain), openJob(domain), openJob(domain)]);
    const applicant = withAccount(domain, nanny());

    await Promise.all(jobs.map(({ job }) => applyToJob(domain, applicant, job.id)));

    const mine = await listNannyApplications(domain, applicant, applicant.username);
    expect(mine.map((application) => application.jobId).sort()).toEqual(jobs.map(({ job }) => job.id).sort());
  });
});

describe('listJobApplications', () => {
  it("when the job's owner or an admin asks, then the applications come in arrival order", async () => {
    const domain = testDomain();
    const { owner, job } = await openJob(domain);
    const first = await applyToJob(domain, withAccount(domain, nanny()), job.id);
    const second = await applyToJob(domain, withAccount(domain, nanny()), job.id);

    expect(await listJobApplications(domain, owner, job.id)).toEqual([first, second]);
    expect(await listJobApplications(domain, admin(), job.id)).toEqual([first, second]);
  });

  it('when another parent or the applicant asks, then FORBIDDEN', async () => {
    const domain = testDomain();
    const { job } = await openJob(domain);
    const applicant = withAccount(domain, nanny());
    await applyToJob(domain, applicant, job.id);

    await expectAppError(listJobApplications(domain, parent(), job.id), 'FORBIDDEN');
    await expectAppError(listJobApplications(domain, applicant, job.id), 'FORBIDDEN');
  });

  it('when the job does not exist, then NOT_FOUND', async () => {
    await expectAppError(listJobApplications(testDomain(), admin(), 'no-such-job'), 'NOT_FOUND');
  });
});

describe('listNannyApplications', () => {
  it('when the nanny asks, then each application comes with the public part of its job', async () => {
    const domain = testDomain();
    const { job } = await openJob(domain);
    const applicant = withAccount(domain, nanny());
    const application = await applyToJob(domain, applicant, job.id);

    const mine = await listNannyApplications(domain, applicant, applicant.username);

    const { address: _hidden, ...shown } = job;
    expect(_hidden).toBe('12 Rue des Lilas');
    expect(mine).toEqual([{ ...application, job: { ...shown, latitude: 45.76, longitude: 4.84 } }]);
  });

  it('when an admin asks, then the list is answered; when another nanny asks, then FORBIDDEN', async () => {
    const domain = testDomain();
    const { job } = await openJob(domain);
    const applicant = withAccount(domain, nanny());
    await applyToJob(domain, applicant, job.id);

    expect(await listNannyApplications(domain, admin(), applicant.username)).toHaveLength(1);
    await expectAppError(listNannyApplications(domain, nanny(), applicant.username), 'FORBIDDEN');
  });

  it('when the nanny never applied, then the list is empty', async () => {
    const applicant = nanny();

    expect(await listNannyApplications(testDomain(), applicant, applicant.username)).toEqual([]);
  });
});
