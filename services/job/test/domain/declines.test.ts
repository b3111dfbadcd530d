import type { DeclineRequest } from '@sitter/contracts';
import {
  applyToJob,
  createJob,
  declineApplication,
  Keys,
  reserveApplication,
  validateDeclineRequest,
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

const declineOf = (application: JobApplication, reason = 'another nanny was booked'): DeclineRequest => ({
  version: 1,
  applicationId: application.id,
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

    const outcome = await declineApplication(domain, declineOf(application));

    expect(outcome).toBe('DECLINED');
    expect(await stored(domain, application.id)).toMatchObject({
      status: 'DECLINED',
      declineReason: 'another nanny was booked',
    });
  });

  it('when the same request arrives again, then nothing changes', async () => {
    const domain = testDomain();
    const { application } = await pendingApplication(domain);
    await declineApplication(domain, declineOf(application));
    const afterFirst = await domain.store.get(Keys.application(application.id));

    const outcome = await declineApplication(domain, declineOf(application, 'a different reason'));

    expect(outcome).toBe('ALREADY_DECLINED');
    expect(await domain.store.get(Keys.application(application.id))).toEqual(afterFirst);
  });

  it('when the application was ACCEPTED, then it is left untouched', async () => {
    const domain = testDomain();
    const { owner, job, application } = await pendingApplication(domain);
    await reserveApplication(domain, owner, job.id, { applicationId: application.id });

    const outcome = await declineApplication(domain, declineOf(application));

    expect(outcome).toBe('REFUSED_ACCEPTED');
    expect(await stored(domain, application.id)).toMatchObject({ status: 'ACCEPTED' });
    expect((await stored(domain, application.id))?.declineReason).toBeUndefined();
  });

  it('when the application does not exist, then NOT_FOUND', async () => {
    const domain = testDomain();
    const { application } = await pendingApplication(domain);

    await expectAppError(declineApplication(domain, { ...declineOf(application), applicationId: 'gone' }), 'NOT_FOUND');
  });

  it('when the job id does not match the application, then BAD_USER_INPUT and nothing changes', async () => {
    const domain = testDomain();
    const { application } = await pendingApplication(domain);

    await expectAppError(
      declineApplication(domain, { ...declineOf(application), jobId: 'another-job' }),
      'BAD_USER_INPUT',
      'jobId',
    );

    expect(await stored(domain, application.id)).toMatchObject({ status: 'PENDING' });
  });
});

describe('validateDeclineRequest', () => {
  const valid = {
    version: 1,
    applicationId: 'a-1',
    jobId: 'j-1',
    reason: 'filled',
    source: 'partner-x',
    requestedAt: '2030-01-01T09:00:00+02:00',
  };

  it('when a partner adds fields, then the request is still accepted', () => {
    expect(validateDeclineRequest({ ...valid, extra: true })).toMatchObject(valid);
  });

  it.each([
    ['version 2', { version: 2 }, 'version'],
    ['no application id', { applicationId: undefined }, 'applicationId'],
    ['empty reason', { reason: '' }, 'reason'],
    ['requestedAt not a timestamp', { requestedAt: 'yesterday' }, 'requestedAt'],
  ])('when %s, then BAD_USER_INPUT naming the field', (_name, change, field) => {
    expect(() => validateDeclineRequest({ ...valid, ...change })).toThrow(expect.objectContaining({ field }));
  });

  it('when the payload is not an object, then BAD_USER_INPUT', () => {
    expect(() => validateDeclineRequest('decline a-1')).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });
});
