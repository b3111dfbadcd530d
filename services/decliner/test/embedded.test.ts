import request from 'supertest';
import { AppIds, Topics, type DeclineRequest } from '@sitter/contracts';
import type { DeliveredMessage } from '@sitter/ports';
import { runWithRequestId } from '@sitter/platform';
import { createDeclinerApp } from '../src';
import { declineOf } from './support/kafka';
import { capturingLogger } from './support/logs';
import { waitFor } from './support/wait';
import { JobServiceFixture } from './support/job-service';

/** apps/system's e2e tests cover the same wiring through the gateway; these look at the decliner's own behaviour. */
describe('the decliner on the embedded bus (npm start, no Kafka)', () => {
  let jobs: JobServiceFixture;
  let decliner: ReturnType<typeof createDeclinerApp>;
  const { logger, entries: logs } = capturingLogger();
  const deadLetters: Array<DeliveredMessage<unknown>> = [];

  beforeAll(async () => {
    jobs = await JobServiceFixture.start(logger);
    decliner = createDeclinerApp({ ...(await jobs.runtime.sidecar(AppIds.decliner)), logger });
    jobs.runtime.register(AppIds.decliner, decliner);
    jobs.runtime.broker
      .subscriberFor('dead-letter-observer')
      .subscribe(`${Topics.applicationDeclines}.dlq`, async (message) => void deadLetters.push(message));
  });

  afterAll(async () => {
    await jobs.stop();
  });

  const publish = async (data: unknown, jobId = 'job') => {
    await jobs.runtime.broker
      .publisherFor(AppIds.booking)
      .publish(Topics.applicationDeclines, data, { partitionKey: jobId, rawPayload: true });
    await jobs.runtime.broker.drain();
  };

  const deadLettered = (applicationId: string) =>
    deadLetters.filter((message) => (message.data as DeclineRequest).applicationId === applicationId);

  it('when booking publishes decline requests, then the applications are DECLINED through the job service', async () => {
    const applications = await jobs.pendingApplications(2);

    for (const id of applications.applicationIds) await publish(declineOf(applications.jobId, id), applications.jobId);

    expect(Object.values(await jobs.statuses(applications))).toEqual(['DECLINED', 'DECLINED']);
    for (const id of applications.applicationIds) expect(jobs.front.outcomesFor(id)).toEqual(['DECLINED']);
  });

  it('when the application is unknown, then the request is dead-lettered at once, without retries', async () => {
    const { jobId } = await jobs.pendingApplications(1);

    await publish(declineOf(jobId, 'ghost-application'), jobId);
    await waitFor(() => deadLettered('ghost-application').length === 1, 'the dead letter');

    expect(jobs.front.callsFor('ghost-application')).toHaveLength(1);
    expect(deadLettered('ghost-application')[0].data).toEqual(declineOf(jobId, 'ghost-application'));
  });

  it('when the request breaks the schema, then it is dead-lettered at once and never reaches the job service', async () => {
    const invalid = { version: 1, applicationId: 'broken-one', jobId: 'j' };

    await publish(invalid);
    await waitFor(() => deadLettered('broken-one').length === 1, 'the dead letter');

    expect(jobs.front.callsFor('broken-one')).toHaveLength(0);
    expect(logs).toContainEqual(
      expect.objectContaining({
        message: 'message dead-lettered',
        reason: 'invalid',
        error: expect.stringContaining('reason'),
      }),
    );
  });

  it('when the job service fails twice, then the bus delivers again and the third attempt declines', async () => {
    const applications = await jobs.pendingApplications(1);
    const [applicationId] = applications.applicationIds;
    jobs.front.fail(applicationId, 2);

    await publish(declineOf(applications.jobId, applicationId), applications.jobId);

    expect(jobs.front.outcomesFor(applicationId)).toEqual(['503', '503', 'DECLINED']);
    expect(deadLettered(applicationId)).toEqual([]);
  });

  it('when the booking request had a request id, then the decliner logs it and passes it to the job service', async () => {
    const applications = await jobs.pendingApplications(1);
    const [applicationId] = applications.applicationIds;

    await runWithRequestId('req-embedded-9', () =>
      publish(declineOf(applications.jobId, applicationId), applications.jobId),
    );

    const lines = logs.filter((entry) => entry.applicationId === applicationId);
    expect(lines.map((entry) => entry.message)).toEqual(['application declined']);
    expect(lines.every((entry) => entry.requestId === 'req-embedded-9')).toBe(true);
    expect(jobs.front.callsFor(applicationId)[0].requestId).toBe('req-embedded-9');
  });

  it('when asked, then it is healthy, ready and exposes its counters', async () => {
    const metrics = await request(decliner).get('/metrics');

    expect((await request(decliner).get('/healthz')).status).toBe(200);
    expect((await request(decliner).get('/readyz')).status).toBe(200);
    expect(metrics.text).toMatch(/decliner_applications_declined_total [1-9]\d*/);
    expect(metrics.text).toMatch(/decliner_dead_letters_total\{reason="unknown"\} [1-9]/);
    expect(metrics.text).toContain('decliner_retries_total 2');
  });
});
