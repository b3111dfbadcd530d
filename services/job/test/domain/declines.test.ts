import {
  applyToJob,
  createJob,
  declineApplication,
  Keys,
  REFUSED_FIELD,
  reserveApplication,
  type JobApplication,
} from '../../src/domain';
import { expectAppError, jobInput, nanny, parent, testDomain, withAccount } from '../support/domain';

type Domain = ReturnType<typeof testDomain>;

const pendingApplication = async (domain: Domain) => {
  const owner = withAccount(domain, parent());
  const job = await createJob(domain, owner, jobInput());
  const application = await applyToJob(domain, withAccount(domain, nanny()), job.id);
  return { owner, job, application };
};

const declineInput = (application: JobApplication, reason = 'another nanny was booked') => ({
  jobId: application.jobId,
  reason,
  source: 'booking',
  requestedAt: '2030-01-01T09:00:00.000Z',
});

const stored = async (domain: Domain, id: string) =>
  (await domain.store.get<JobApplication>(Keys.application(id)))?.value;

describe('declineApplication', () => {
  it('when the application is PENDING, then it becomes DECLINED with the reason', async () => {
    const domain = testDomain();
    const { application } = await pendingApplication(domain);

    const result = await declineApplication(domain, application.id, declineInput(application));

    expect(result.outcome).toBe('DECLINED');
    expect(result.application).toMatchObject({ id: application.id, status: 'DECLINED' });
    expect(await stored(domain, application.id)).toMatchObject({
      status: 'DECLINED',
      declineReason: 'another nanny was booked',
    });
  });

  it('when the same request arrives again, then it answers ALREADY_DECLINED and nothing changes', async () => {
    const domain = testDomain();
    const { application } = await pendingApplication(domain);
    await declineApplication(domain, application.id, declineInput(application));
    const afterFirst = await domain.store.get(Keys.application(application.id));

    const result = await declineApplication(domain, application.id, declineInput(application, 'a different reason'));

    expect(result.outcome).toBe('ALREADY_DECLINED');
    expect(await domain.store.get(Keys.application(application.id))).toEqual(afterFirst);
  });

  it('when the application was ACCEPTED, then CONFLICT naming status, and it is left untouched', async () => {
    const domain = testDomain();
    const { owner, job, application } = await pendingApplication(domain);
    await reserveApplication(domain, owner, job.id, { applicationId: application.id });

    const error = await expectAppError(
      declineApplication(domain, application.id, declineInput(application)),
      'CONFLICT',
      REFUSED_FIELD,
    );

    expect(error.message).toBe('refused: accepted applications are never declined');
    expect(await stored(domain, application.id)).toMatchObject({ status: 'ACCEPTED' });
    expect((await stored(domain, application.id))?.declineReason).toBeUndefined();
  });

  it('when the application does not exist, then NOT_FOUND', async () => {
    const domain = testDomain();
    const { application } = await pendingApplication(domain);

    await expectAppError(declineApplication(domain, 'gone', declineInput(application)), 'NOT_FOUND');
  });

  it('when the job id does not match the application, then NOT_FOUND and nothing changes', async () => {
    const domain = testDomain();
    const { application } = await pendingApplication(domain);

    await expectAppError(
      declineApplication(domain, application.id, { ...declineInput(application), jobId: 'another-job' }),
      'NOT_FOUND',
    );

    expect(await stored(domain, application.id)).toMatchObject({ status: 'PENDING' });
  });

  it('when a partner adds fields, then the request is still accepted', async () => {
    const domain = testDomain();
    const { application } = await pendingApplication(domain);

    const result = await declineApplication(domain, application.id, { ...declineInput(application), extra: true });

    expect(result.outcome).toBe('DECLINED');
  });

  it.each([
    ['no job id', { jobId: undefined }, 'jobId'],
    ['an empty reason', { reason: ' ' }, 'reason'],
    ['no source', { source: '' }, 'source'],
    ['requestedAt not a timestamp', { requestedAt: 'yesterday' }, 'requestedAt'],
  ])(
    'when the input has %s, then BAD_USER_INPUT naming the field and nothing changes',
    async (_name, change, field) => {
      const domain = testDomain();
      const { application } = await pendingApplication(domain);

      await expectAppError(
        declineApplication(domain, application.id, { ...declineInput(application), ...change }),
        'BAD_USER_INPUT',
        field,
      );

      expect(await stored(domain, application.id)).toMatchObject({ status: 'PENDING' });
    },
  );

  it('when the body is not an object, then BAD_USER_INPUT', async () => {
    const domain = testDomain();
    const { application } = await pendingApplication(domain);

    await expectAppError(declineApplication(domain, application.id, 'decline it'), 'BAD_USER_INPUT');
  });
});
