import type { RequestListener } from 'node:http';
import { AppIds } from '@sitter/contracts';
import { declineApplication, declineWithRetries, type DeclineOutcome, type DeclinerDomain } from '../../src/domain';
import { InvokedJobApplications } from '../../src/adapters/job-applications';
import { declineOf } from '../support/kafka';
import { JobServiceFixture, type Applications } from '../support/job-service';

/** A real app that answers every call with one status and body, standing where the job service would be. */
const answering =
  (status: number, body: unknown): RequestListener =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

describe('declineApplication against the real job service', () => {
  let jobs: JobServiceFixture;
  let domain: DeclinerDomain;

  beforeAll(async () => {
    jobs = await JobServiceFixture.start();
    domain = { applications: new InvokedJobApplications(jobs.runtime.invoker) };
  });

  afterAll(async () => {
    await jobs.stop();
  });

  const decline = (applications: Applications, index = 0, overrides = {}) =>
    declineApplication(domain, declineOf(applications.jobId, applications.applicationIds[index], overrides));

  it('when the application is PENDING, then declined, and it is DECLINED', async () => {
    const applications = await jobs.pendingApplications(1);

    const outcome = await decline(applications);

    expect(outcome).toEqual({ kind: 'declined' });
    expect(Object.values(await jobs.statuses(applications))).toEqual(['DECLINED']);
  });

  it('when it was declined before, then already-declined', async () => {
    const applications = await jobs.pendingApplications(1);
    await decline(applications);

    expect(await decline(applications)).toEqual({ kind: 'already-declined' });
  });

  it('when the application is ACCEPTED, then refused, and it stays ACCEPTED', async () => {
    const applications = await jobs.pendingApplications(1);
    await jobs.accept(applications, applications.applicationIds[0]);

    const outcome = await decline(applications);

    expect(outcome).toEqual({
      kind: 'refused',
      detail: 'job service answered 409 (CONFLICT: refused: accepted applications are never declined)',
    });
    expect(Object.values(await jobs.statuses(applications))).toEqual(['ACCEPTED']);
  });

  it('when the application does not exist, then unknown', async () => {
    const { jobId } = await jobs.pendingApplications(1);

    const outcome = await declineApplication(domain, declineOf(jobId, 'no-such-application'));

    expect(outcome).toMatchObject({ kind: 'unknown', detail: expect.stringContaining('404') });
  });

  it('when the application belongs to another job, then unknown, and it stays PENDING', async () => {
    const applications = await jobs.pendingApplications(1);

    const outcome = await decline(applications, 0, { jobId: 'another-job' });

    expect(outcome.kind).toBe('unknown');
    expect(Object.values(await jobs.statuses(applications))).toEqual(['PENDING']);
  });

  it('when the job service rejects the request itself, then invalid', async () => {
    const applications = await jobs.pendingApplications(1);

    const outcome = await decline(applications, 0, { reason: '   ' });

    expect(outcome).toMatchObject({ kind: 'invalid', detail: expect.stringContaining('400') });
  });
});

describe('declineApplication when the job service is not well', () => {
  let jobs: JobServiceFixture;

  beforeAll(async () => {
    jobs = await JobServiceFixture.start();
  });

  afterAll(async () => {
    await jobs.stop();
  });

  const outcomeWhen = async (app: RequestListener | undefined): Promise<DeclineOutcome> => {
    if (app) jobs.runtime.register(AppIds.job, app);
    else jobs.runtime.invoker.unregister(AppIds.job);
    return declineApplication(
      { applications: new InvokedJobApplications(jobs.runtime.invoker) },
      declineOf('job-1', 'application-1'),
    );
  };

  it.each<[string, RequestListener | undefined, string]>([
    ['it cannot be reached', undefined, 'service "job" is unavailable'],
    ['it answers 503', answering(503, { code: 'UNAVAILABLE', message: 'user service down' }), '503'],
    ['it answers 500', answering(500, { code: 'INTERNAL', message: 'internal error' }), '500'],
    [
      'it answers a 409 other than the refusal',
      answering(409, { code: 'CONFLICT', message: 'the record changed concurrently; try again' }),
      '409',
    ],
    ['it answers 200 without an outcome', answering(200, { ok: true }), 'unexpected answer'],
  ])('when %s, then transient', async (_name, app, detail) => {
    const outcome = await outcomeWhen(app);

    expect(outcome).toMatchObject({ kind: 'transient', detail: expect.stringContaining(detail) });
  });
});

describe('declineWithRetries', () => {
  let jobs: JobServiceFixture;
  let domain: DeclinerDomain;
  const policy = { maxAttempts: 5, initialBackoffMs: 10, maxBackoffMs: 25 };

  beforeAll(async () => {
    jobs = await JobServiceFixture.start();
    domain = { applications: new InvokedJobApplications(jobs.runtime.invoker) };
  });

  afterAll(async () => {
    await jobs.stop();
  });

  const recordingWaits = () => {
    const waits: number[] = [];
    return { waits, hooks: { wait: async (ms: number) => void waits.push(ms) } };
  };

  it('when the job service fails twice, then the third attempt declines after waits of 10 and 20 ms', async () => {
    const applications = await jobs.pendingApplications(1);
    jobs.front.fail(applications.applicationIds[0], 2);
    const { waits, hooks } = recordingWaits();

    const result = await declineWithRetries(
      domain,
      declineOf(applications.jobId, applications.applicationIds[0]),
      policy,
      hooks,
    );

    expect(result).toEqual({ outcome: { kind: 'declined' }, attempts: 3 });
    expect(waits).toEqual([10, 20]);
  });

  it('when the job service never recovers, then it gives up after exactly maxAttempts with the last failure', async () => {
    const applications = await jobs.pendingApplications(1);
    const [applicationId] = applications.applicationIds;
    jobs.front.fail(applicationId);
    const { waits, hooks } = recordingWaits();

    const result = await declineWithRetries(domain, declineOf(applications.jobId, applicationId), policy, hooks);

    expect(result).toMatchObject({ outcome: { kind: 'transient' }, attempts: 5 });
    expect(waits).toEqual([10, 20, 25, 25]);
    expect(jobs.front.callsFor(applicationId)).toHaveLength(5);
    jobs.front.heal(applicationId);
  });

  it('when the outcome is final, then there is no retry', async () => {
    const { jobId } = await jobs.pendingApplications(1);
    const { waits, hooks } = recordingWaits();

    const result = await declineWithRetries(domain, declineOf(jobId, 'no-such-application'), policy, hooks);

    expect(result).toMatchObject({ outcome: { kind: 'unknown' }, attempts: 1 });
    expect(waits).toEqual([]);
  });

  it('when the wait is cut short, then the retrying stops with that error and no further call', async () => {
    const applications = await jobs.pendingApplications(1);
    const [applicationId] = applications.applicationIds;
    jobs.front.fail(applicationId);

    const attempt = declineWithRetries(domain, declineOf(applications.jobId, applicationId), policy, {
      wait: async () => {
        throw new Error('stopping');
      },
    });

    await expect(attempt).rejects.toThrow('stopping');
    expect(jobs.front.callsFor(applicationId)).toHaveLength(1);
    jobs.front.heal(applicationId);
  });
});
