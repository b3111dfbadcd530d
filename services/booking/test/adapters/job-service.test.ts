import { AppError, ServiceUnavailableError } from '@sitter/ports';
import { EmbeddedRuntime } from '@sitter/embedded-runtime';
import { createLogger } from '@sitter/platform';
import { JobServiceClient } from '../../src/adapters/job-service';
import { parent } from '../support/actors';
import { stubService } from '../support/stub-service';

const logger = createLogger('booking-test', 'silent');

/** A real HTTP app answers as the job service would, so every status mapping can be shown. */
const setup = () => {
  const runtime = new EmbeddedRuntime({ logger });
  const job = stubService();
  runtime.register('job', job.app);
  return { job, jobs: new JobServiceClient(runtime.invoker) };
};

const caught = (work: Promise<unknown>) =>
  work.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('JobServiceClient', () => {
  it('when reserving, then the job service is asked as the caller and the other pending ids are read', async () => {
    const { job, jobs } = setup();
    const caller = parent();
    job.answerWith(200, { job: {}, application: { nanny: 'mary' }, otherPendingApplicationIds: ['a2'] });

    const outcome = await jobs.reserve(caller, 'j/1', 'a1');

    expect(outcome).toEqual({ reserved: true, otherPendingApplicationIds: ['a2'] });
    expect(job.received[0]).toMatchObject({
      method: 'POST',
      path: '/jobs/j%2F1/reservations',
      body: { applicationId: 'a1' },
      headers: { 'x-sitter-username': caller.username, 'x-sitter-roles': 'PARENT' },
    });
  });

  it.each([400, 403, 404, 409])(
    'when the reservation is answered %i, then it is refused with the message',
    async (status) => {
      const { job, jobs } = setup();
      job.answerWith(status, { code: 'X', message: 'job is not open' });

      expect(await jobs.reserve(parent(), 'j1', 'a1')).toEqual({ reserved: false, reason: 'job is not open' });
    },
  );

  it.each([500, 503])(
    'when the reservation is answered %i, then ServiceUnavailableError (retry later)',
    async (status) => {
      const { job, jobs } = setup();
      job.answerWith(status, { code: 'INTERNAL', message: 'boom' });

      expect(await caught(jobs.reserve(parent(), 'j1', 'a1'))).toBeInstanceOf(ServiceUnavailableError);
    },
  );

  it('when the reservation answer has an unexpected shape, then ServiceUnavailableError', async () => {
    const { job, jobs } = setup();
    job.answerWith(200, { nothing: true });

    expect(await caught(jobs.reserve(parent(), 'j1', 'a1'))).toBeInstanceOf(ServiceUnavailableError);
  });

  it.each([200, 404, 409])(
    'when releasing is answered %i, then release resolves (nothing left to undo)',
    async (status) => {
      const { job, jobs } = setup();
      job.answerWith(status, {});

      await expect(jobs.release(parent(), 'j1', 'a 1')).resolves.toBeUndefined();
      expect(job.received[0]).toMatchObject({ method: 'DELETE', path: '/jobs/j1/reservations/a%201' });
    },
  );

  it('when releasing is answered 500, then it rejects so the step is tried again', async () => {
    const { job, jobs } = setup();
    job.answerWith(500, {});

    expect(await caught(jobs.release(parent(), 'j1', 'a1'))).toBeInstanceOf(ServiceUnavailableError);
  });

  it('when the job is missing, then findJob is undefined; when found, its owner, status and cost', async () => {
    const { job, jobs } = setup();
    job.answerWith(404, { code: 'NOT_FOUND', message: 'no' });
    expect(await jobs.findJob(parent(), 'j1')).toBeUndefined();

    job.answerWith(200, { id: 'j1', owner: 'pat', status: 'OPEN', cost: '80.00', city: 'Leeds' });
    expect(await jobs.findJob(parent(), 'j1')).toEqual({ id: 'j1', owner: 'pat', status: 'OPEN', cost: '80.00' });
  });

  it('when listing applications is refused, then the AppError of the job service', async () => {
    const { job, jobs } = setup();
    job.answerWith(403, { code: 'FORBIDDEN', message: 'not yours' });

    const error = await caught(jobs.listApplications(parent(), 'j1'));

    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'FORBIDDEN', message: 'not yours' });
  });

  it('when a refusal carries no message, then the error names the service but no route', async () => {
    const { job, jobs } = setup();
    job.answerWith(404, {});

    const error = await caught(jobs.listApplications(parent(), 'j1'));

    expect(error).toMatchObject({ code: 'NOT_FOUND', message: 'the job service refused the request' });
  });

  it('when the job service is not reachable, then ServiceUnavailableError', async () => {
    const jobs = new JobServiceClient(new EmbeddedRuntime({ logger }).invoker);

    expect(await caught(jobs.findJob(parent(), 'j1'))).toBeInstanceOf(ServiceUnavailableError);
  });
});
