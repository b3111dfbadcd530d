import type { DeclineRequest } from '@sitter/contracts';
import { Topics } from '@sitter/contracts';
import type { DeliveredMessage } from '@sitter/ports';
import { as, jobBody, signUp, startJobService, type JobServiceUnderTest } from '../support/http';

describe('decline subscription', () => {
  let service: JobServiceUnderTest;
  const deadLetters: Array<DeliveredMessage<unknown>> = [];
  const waiters: Array<() => void> = [];

  beforeAll(async () => {
    service = await startJobService();
    service.runtime.broker
      .subscriberFor('test-observer')
      .subscribe(`${Topics.applicationDeclines}.dlq`, async (message) => {
        deadLetters.push(message);
        waiters.splice(0).forEach((wake) => wake());
      });
  });

  afterAll(async () => {
    await service.stop();
  });

  /** Resolves once a dead letter matching the predicate has arrived (jest's timeout guards it). */
  const waitForDeadLetter = async (matches: (data: Record<string, unknown>) => boolean) => {
    const find = () => deadLetters.find((message) => matches(message.data as Record<string, unknown>));
    while (!find()) await new Promise<void>((resolve) => waiters.push(resolve));
    return find();
  };

  const pendingApplication = async () => {
    const owner = await signUp(service.runtime, 'PARENT');
    const jobId: string = (await service.http.post('/jobs').set(as(owner)).send(jobBody())).body.id;
    const nanny = await signUp(service.runtime, 'NANNY');
    const applicationId: string = (await service.http.post(`/jobs/${jobId}/applications`).set(as(nanny)).send({})).body
      .id;
    return { owner, jobId, applicationId };
  };

  const decline = async (request: Partial<DeclineRequest> & Record<string, unknown>) => {
    await service.runtime.broker
      .publisherFor('booking')
      .publish(Topics.applicationDeclines, request, { partitionKey: String(request.jobId), rawPayload: true });
    await service.runtime.broker.drain();
  };

  const declineRequest = (jobId: string, applicationId: string, reason = 'another nanny was booked') => ({
    version: 1 as const,
    applicationId,
    jobId,
    reason,
    source: 'booking',
    requestedAt: '2031-01-01T10:00:00.000Z',
  });

  const applicationOf = async (owner: Parameters<typeof as>[0], jobId: string, applicationId: string) => {
    const listed = await service.http.get(`/jobs/${jobId}/applications`).set(as(owner));
    return listed.body.find((application: { id: string }) => application.id === applicationId);
  };

  it('when a decline for a PENDING application arrives, then it becomes DECLINED with the reason', async () => {
    const { owner, jobId, applicationId } = await pendingApplication();

    await decline(declineRequest(jobId, applicationId));

    expect(await applicationOf(owner, jobId, applicationId)).toMatchObject({
      status: 'DECLINED',
      declineReason: 'another nanny was booked',
    });
  });

  it('when the same decline arrives twice, then the second changes nothing and is not dead-lettered', async () => {
    const { owner, jobId, applicationId } = await pendingApplication();
    await decline(declineRequest(jobId, applicationId, 'first reason'));
    const afterFirst = await applicationOf(owner, jobId, applicationId);

    await decline(declineRequest(jobId, applicationId, 'second reason'));

    expect(await applicationOf(owner, jobId, applicationId)).toEqual(afterFirst);
    expect(deadLetters.some((message) => (message.data as DeclineRequest).applicationId === applicationId)).toBe(false);
  });

  it('when a decline for an ACCEPTED application arrives, then it stays ACCEPTED and the refusal is logged', async () => {
    const { owner, jobId, applicationId } = await pendingApplication();
    await service.http.post(`/jobs/${jobId}/reservations`).set(as(owner)).send({ applicationId });

    await decline(declineRequest(jobId, applicationId));

    expect(await applicationOf(owner, jobId, applicationId)).toMatchObject({ status: 'ACCEPTED' });
    expect(service.logs).toContainEqual(
      expect.objectContaining({ message: 'refused to decline an accepted application', applicationId }),
    );
    expect(deadLetters.some((message) => (message.data as DeclineRequest).applicationId === applicationId)).toBe(false);
  });

  it('when a decline names an unknown application, then it ends in the dead-letter topic', async () => {
    const { jobId } = await pendingApplication();

    await decline(declineRequest(jobId, 'unknown-application-id'));

    const deadLetter = await waitForDeadLetter((data) => data.applicationId === 'unknown-application-id');
    expect(deadLetter?.data).toMatchObject({ jobId, applicationId: 'unknown-application-id' });
  });

  it('when a decline is malformed, then it is logged and ends in the dead-letter topic', async () => {
    await decline({ version: 1, applicationId: 'malformed-one', jobId: 'j' });

    const deadLetter = await waitForDeadLetter((data) => data.applicationId === 'malformed-one');
    expect(deadLetter).toBeDefined();
    expect(service.logs).toContainEqual(expect.objectContaining({ message: 'invalid decline request' }));
  });
});
