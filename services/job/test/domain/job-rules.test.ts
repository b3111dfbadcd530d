import {
  applyToJob,
  createJob,
  getJob,
  listNannyApplications,
  reserveApplication,
  viewJob,
  viewJobs,
} from '../../src/domain';
import { admin, expectAppError, jobInput, nanny, parent, testDomain, withAccount } from '../support/domain';

const at = (iso: string) => ({ now: () => new Date(iso) });

describe('a job may not start in the past (Europe/London wall-clock time)', () => {
  it.each([
    ['winter (GMT): one minute before now', '2030-01-10T10:00:00.000Z', '2030-01-10', '09:59'],
    ['summer (BST): 10:30 London is 09:30 UTC', '2030-06-10T10:00:00.000Z', '2030-06-10', '10:30'],
    ['the day before', '2030-06-10T10:00:00.000Z', '2030-06-09', '22:00'],
  ])(
    'when the start is %s, then BAD_USER_INPUT on startDate before the account is asked',
    async (_label, now, date, time) => {
      const domain = testDomain({}, at(now));

      const error = await expectAppError(
        createJob(domain, parent(), jobInput({ startDate: date, endDate: date, startTime: time, endTime: '23:59' })),
        'BAD_USER_INPUT',
        'startDate',
      );

      expect(error.message).toMatch(/past/);
    },
  );

  it.each([
    ['winter (GMT): one minute after now', '2030-01-10T10:00:00.000Z', '10:01'],
    ['summer (BST): 11:30 London is 10:30 UTC', '2030-06-10T10:00:00.000Z', '11:30'],
  ])('when the start is %s, then the job is created', async (_label, now, time) => {
    const domain = testDomain({}, at(now));
    const owner = withAccount(domain, parent());
    const date = now.slice(0, 10);

    const job = await createJob(
      domain,
      owner,
      jobInput({ startDate: date, endDate: date, startTime: time, endTime: '23:59' }),
    );

    expect(job).toMatchObject({ startDate: date, startTime: time, status: 'OPEN' });
  });
});

describe('job text follows the shared text rules', () => {
  it.each([
    ['address', 'a NUL', '1 Main St\u0000'],
    ['address', 'an escape sequence', '\u001b]8;;http://evil\u0007link'],
    ['address', 'a right-to-left override', '1 Main St\u202E'],
    ['address', 'a line break', '1 Main St\nFlat 2'],
    ['city', 'only zero-width characters', '\u200B\u200B'],
    ['city', 'a lone surrogate', 'Leeds\uDC00'],
    ['city', 'a bidi isolate', '\u2067Leeds'],
  ])('when %s holds %s, then BAD_USER_INPUT names it and nothing is stored', async (field, _label, value) => {
    const domain = testDomain();
    const owner = withAccount(domain, parent());

    await expectAppError(createJob(domain, owner, jobInput({ [field]: value })), 'BAD_USER_INPUT', field);

    expect((await viewJobs(domain, owner, {})).items).toEqual([]);
  });

  it('when text is decomposed, then it is stored NFC', async () => {
    const domain = testDomain();
    const owner = withAccount(domain, parent());

    const job = await createJob(
      domain,
      owner,
      jobInput({ city: 'Malmo\u0308', address: '1 Rue de l\u2019E\u0301glise' }),
    );

    expect(await getJob(domain, job.id)).toMatchObject({ city: 'Malm\u00f6', address: '1 Rue de l\u2019\u00c9glise' });
  });

  it('when a reservation names an application id with a slash, then BAD_USER_INPUT on applicationId', async () => {
    const domain = testDomain();
    const owner = withAccount(domain, parent());
    const job = await createJob(domain, owner, jobInput());

    await expectAppError(
      reserveApplication(domain, owner, job.id, { applicationId: '../x' }),
      'BAD_USER_INPUT',
      'applicationId',
    );
  });
});

describe('who sees a job’s address', () => {
  const postedJob = async () => {
    const domain = testDomain();
    const owner = withAccount(domain, parent());
    const job = await createJob(domain, owner, jobInput({ latitude: 53.80076, longitude: -1.54912 }));
    return { domain, owner, job };
  };

  const hidden = (job: object) => ({
    address: 'address' in job,
    latitude: (job as { latitude: number }).latitude,
    longitude: (job as { longitude: number }).longitude,
  });

  it('when the owner or an admin reads a job, then they see its address and exact coordinates', async () => {
    const { domain, owner, job } = await postedJob();

    expect(await viewJob(domain, owner, job.id)).toEqual(job);
    expect(await viewJob(domain, admin(), job.id)).toEqual(job);
  });

  it.each([
    ['no caller (API key)', undefined],
    ['another parent', parent()],
    ['a nanny', nanny()],
  ])('when %s reads a job, then the address is left out and the coordinates are rounded', async (_label, reader) => {
    const { domain, job } = await postedJob();

    const seen = await viewJob(domain, reader, job.id);

    expect(hidden(seen)).toEqual({ address: false, latitude: 53.8, longitude: -1.55 });
    expect(seen).toMatchObject({ id: job.id, city: job.city, owner: job.owner, startDate: job.startDate });
  });

  it('when the booked nanny reads the job, then she sees the address; a pending applicant does not', async () => {
    const { domain, owner, job } = await postedJob();
    const booked = withAccount(domain, nanny());
    const pending = withAccount(domain, nanny());
    const chosen = await applyToJob(domain, booked, job.id);
    await applyToJob(domain, pending, job.id);
    const pendingBefore = await viewJob(domain, pending, job.id);

    await reserveApplication(domain, owner, job.id, { applicationId: chosen.id });

    expect(await viewJob(domain, booked, job.id)).toMatchObject({ address: job.address, latitude: 53.80076 });
    expect(hidden(await viewJob(domain, pending, job.id)).address).toBe(false);
    expect(hidden(pendingBefore).address).toBe(false);
    const [application] = await listNannyApplications(domain, booked, booked.username);
    expect(application.job).toMatchObject({ address: job.address });
  });

  it('when jobs are listed without a caller, then open ones are served without addresses; closed ones are UNAUTHENTICATED', async () => {
    const { domain } = await postedJob();

    const open = await viewJobs(domain, undefined, { status: 'OPEN' });

    expect(open.items.map((item) => 'address' in item)).toEqual([false]);
    await expectAppError(viewJobs(domain, undefined, { status: 'CLOSED' }), 'UNAUTHENTICATED');
  });

  it('when a signed-in caller lists jobs, then closed ones are served too; only their own show addresses', async () => {
    const { domain, owner, job } = await postedJob();
    const other = withAccount(domain, parent());
    const othersJob = await createJob(domain, other, jobInput());

    const page = await viewJobs(domain, owner, { status: 'OPEN' });
    const closed = await viewJobs(domain, owner, { status: 'CLOSED' });

    const addressShown = Object.fromEntries(page.items.map((item) => [item.id, 'address' in item]));
    expect(addressShown).toEqual({ [job.id]: true, [othersJob.id]: false });
    expect(closed.items).toEqual([]);
  });
});
