import { AppError, ServiceUnavailableError } from '@sitter/ports';
import { EmbeddedRuntime } from '@sitter/embedded-runtime';
import { createLogger } from '@sitter/platform';
import { JobServiceReservations } from '../../src/adapters/job-reservations';
import { parent } from '../support/domain';
import { capturingLogger } from '../support/logs';
import { stubService } from '../support/stub-service';

const logger = createLogger('booking-test', 'silent');

const setup = () => {
  const runtime = new EmbeddedRuntime({ logger });
  const job = stubService();
  runtime.register('job', job.app);
  return { job, reservations: new JobServiceReservations(runtime.invoker, logger), runtime };
};

describe('JobServiceReservations.reserve', () => {
  it('when the job service reserves, then it is asked as the caller and its answer is read', async () => {
    const { job, reservations } = setup();
    const caller = { username: 'pat', roles: ['PARENT', 'NANNY'] as const };
    job.answerWith(200, {
      job: { id: 'j/1', status: 'CLOSED' },
      application: { id: 'a1', nanny: 'mary', status: 'ACCEPTED' },
      otherPendingApplicationIds: ['a2', 'a3'],
    });

    const reservation = await reservations.reserve({ ...caller, roles: [...caller.roles] }, 'j/1', 'a1');

    expect(reservation).toEqual({ nanny: 'mary', otherPendingApplicationIds: ['a2', 'a3'] });
    expect(job.received).toHaveLength(1);
    expect(job.received[0]).toMatchObject({
      method: 'POST',
      path: '/jobs/j%2F1/reservations',
      body: { applicationId: 'a1' },
      headers: { 'x-sitter-username': 'pat', 'x-sitter-roles': 'PARENT,NANNY' },
    });
  });

  it.each([
    [400, 'BAD_USER_INPUT'],
    [403, 'FORBIDDEN'],
    [404, 'NOT_FOUND'],
    [409, 'CONFLICT'],
  ] as const)('when the job service answers %i, then an AppError %s with its message', async (status, code) => {
    const { job, reservations } = setup();
    job.answerWith(status, { code, message: 'told by the job service', field: 'applicationId' });

    const error = await reservations.reserve(parent(), 'j1', 'a1').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code, message: 'told by the job service', field: 'applicationId' });
  });

  it.each([500, 502, 503])('when the job service answers %i, then ServiceUnavailableError', async (status) => {
    const { job, reservations } = setup();
    job.answerWith(status, { code: 'INTERNAL', message: 'boom' });

    const error = await reservations.reserve(parent(), 'j1', 'a1').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({ appId: 'job' });
  });

  it('when the job service is not reachable, then ServiceUnavailableError', async () => {
    const reservations = new JobServiceReservations(new EmbeddedRuntime({ logger }).invoker, logger);

    const error = await reservations.reserve(parent(), 'j1', 'a1').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ServiceUnavailableError);
  });

  it('when the job service answers 200 without the nanny, then it fails rather than book nobody', async () => {
    const { job, reservations } = setup();
    job.answerWith(200, { otherPendingApplicationIds: [] });

    const error = await reservations.reserve(parent(), 'j1', 'a1').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(AppError);
  });
});

describe('JobServiceReservations.release', () => {
  it('when releasing, then the job service gets DELETE on the reservation as the caller', async () => {
    const { job, reservations } = setup();
    const caller = parent();

    await reservations.release(caller, 'j1', 'a 1');

    expect(job.received[0]).toMatchObject({
      method: 'DELETE',
      path: '/jobs/j1/reservations/a%201',
      headers: { 'x-sitter-username': caller.username, 'x-sitter-roles': 'PARENT' },
    });
  });

  it('when the job service refuses or is unreachable, then release still resolves and logs an error', async () => {
    const { job, runtime } = setup();
    job.answerWith(500, { code: 'INTERNAL', message: 'boom' });
    const { logger: capturing, entries } = capturingLogger();
    const refused = new JobServiceReservations(runtime.invoker, capturing);
    const unreachable = new JobServiceReservations(new EmbeddedRuntime({ logger }).invoker, capturing);

    await expect(refused.release(parent(), 'j1', 'a1')).resolves.toBeUndefined();
    await expect(unreachable.release(parent(), 'j2', 'a2')).resolves.toBeUndefined();

    expect(job.received).toHaveLength(1);
    expect(entries.filter((entry) => entry.level === 'error')).toEqual([
      expect.objectContaining({ message: 'could not release a reservation after a failed booking', jobId: 'j1' }),
      expect.objectContaining({ message: 'could not release a reservation after a failed booking', jobId: 'j2' }),
    ]);
  });
});
