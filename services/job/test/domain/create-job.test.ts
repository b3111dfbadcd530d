import { createJob, getJob } from '../../src/domain';
import { admin, expectAppError, jobInput, nanny, parent, testDomain, withAccount } from '../support/domain';
import { storedIndex } from '../support/status-index';

describe('createJob', () => {
  it('when a parent with an active account posts a job, then every input field is stored exactly as given', async () => {
    const domain = testDomain();
    const owner = withAccount(domain, parent());
    const input = jobInput();

    const job = await createJob(domain, owner, input);

    const stored = await getJob(domain, job.id);
    expect(stored).toEqual({
      ...input,
      id: job.id,
      owner: owner.username,
      status: 'OPEN',
      createdOn: job.createdOn,
      updatedOn: job.createdOn,
    });
    // The seed ignored the dates and copied longitude into latitude.
    expect(stored.startDate).toBe('2030-03-04');
    expect(stored.endDate).toBe('2030-03-09');
    expect(stored.latitude).toBe(45.764);
    expect(stored.longitude).toBe(4.8357);
  });

  it('when the cost has many digits, then it is kept as the same text, never rounded through a float', async () => {
    const domain = testDomain();
    const owner = withAccount(domain, parent());

    const job = await createJob(domain, owner, jobInput({ cost: '123456789.99' }));

    expect((await getJob(domain, job.id)).cost).toBe('123456789.99');
  });

  it('when a job is created, then it is in the OPEN index in the same write', async () => {
    const domain = testDomain();
    const owner = withAccount(domain, parent());

    const job = await createJob(domain, owner, jobInput());

    expect((await storedIndex(domain.store, 'OPEN')).entries).toEqual([{ id: job.id, createdOn: job.createdOn }]);
  });

  it('when the caller is not a parent, then FORBIDDEN and nothing is stored', async () => {
    const domain = testDomain();
    const caller = withAccount(domain, nanny());

    await expectAppError(createJob(domain, caller, jobInput()), 'FORBIDDEN');
    await expectAppError(createJob(domain, withAccount(domain, admin()), jobInput()), 'FORBIDDEN');

    expect(domain.store.size).toBe(0);
  });

  it('when the parent has no user profile, then FORBIDDEN asking to create it', async () => {
    const domain = testDomain();

    const error = await expectAppError(createJob(domain, parent(), jobInput()), 'FORBIDDEN');

    expect(error.message).toBe('create your user profile first');
  });

  it('when the parent account is deactivated, then FORBIDDEN', async () => {
    const domain = testDomain();
    const owner = parent();
    domain.accounts.set(owner.username, 'DEACTIVATED');

    const error = await expectAppError(createJob(domain, owner, jobInput()), 'FORBIDDEN');

    expect(error.message).toMatch(/deactivated/);
    expect(domain.store.size).toBe(0);
  });

  describe('when the input is invalid, then BAD_USER_INPUT names the field', () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['end date before start date', { startDate: '2030-03-04', endDate: '2030-03-03' }, 'endDate'],
      [
        'same day, end time before start time',
        { endDate: '2030-03-04', startTime: '10:00', endTime: '09:59' },
        'endTime',
      ],
      [
        'same day, end time equal to start time',
        { endDate: '2030-03-04', startTime: '10:00', endTime: '10:00' },
        'endTime',
      ],
      ['latitude above 90', { latitude: 90.0001 }, 'latitude'],
      ['latitude below -90', { latitude: -91 }, 'latitude'],
      ['longitude above 180', { longitude: 180.5 }, 'longitude'],
      ['longitude below -180', { longitude: -181 }, 'longitude'],
      ['latitude given as text', { latitude: '45.7' }, 'latitude'],
      ['negative cost', { cost: '-5.00' }, 'cost'],
      ['cost with three decimals', { cost: '1.005' }, 'cost'],
      ['cost with ten integer digits', { cost: '1234567890' }, 'cost'],
      ['cost as a number', { cost: 120 }, 'cost'],
      ['cost that is not a number', { cost: 'cheap' }, 'cost'],
      ['unknown job type', { jobType: 'WEEKLY' }, 'jobType'],
      ['start date not ISO', { startDate: '04/03/2030' }, 'startDate'],
      ['end date not a calendar day', { endDate: '2030-02-30' }, 'endDate'],
      ['start date in month 13', { startDate: '2030-13-01' }, 'startDate'],
      ['start time 24:00', { startTime: '24:00' }, 'startTime'],
      ['end time without leading zero', { endTime: '9:30' }, 'endTime'],
      ['start time with seconds', { startTime: '08:15:00' }, 'startTime'],
      ['empty address', { address: '' }, 'address'],
      ['blank city', { city: '   ' }, 'city'],
      ['missing city', { city: undefined }, 'city'],
    ];

    it.each(cases)('%s', async (_name, overrides, field) => {
      const domain = testDomain();
      const owner = withAccount(domain, parent());

      await expectAppError(createJob(domain, owner, jobInput(overrides)), 'BAD_USER_INPUT', field);

      expect(domain.store.size).toBe(0);
    });
  });

  it('when the body is not an object, then BAD_USER_INPUT', async () => {
    const domain = testDomain();
    const owner = withAccount(domain, parent());

    await expectAppError(createJob(domain, owner, undefined), 'BAD_USER_INPUT', 'input');
  });

  it('when a leap day and the limits of every range are given, then they are accepted', async () => {
    const domain = testDomain();
    const owner = withAccount(domain, parent());
    const input = jobInput({
      startDate: '2032-02-29',
      endDate: '2032-02-29',
      startTime: '00:00',
      endTime: '23:59',
      latitude: -90,
      longitude: 180,
      cost: '0',
    });

    const job = await createJob(domain, owner, input);

    expect(job).toMatchObject(input);
  });

  it('when the job spans days, then an end time before the start time is fine', async () => {
    const domain = testDomain();
    const owner = withAccount(domain, parent());

    const job = await createJob(domain, owner, jobInput({ startTime: '20:00', endTime: '07:00' }));

    expect(job.endTime).toBe('07:00');
  });

  it('when the job does not exist, then getJob answers NOT_FOUND', async () => {
    await expectAppError(getJob(testDomain(), 'no-such-job'), 'NOT_FOUND');
  });
});
