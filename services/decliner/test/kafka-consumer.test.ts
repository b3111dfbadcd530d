import request from 'supertest';
import type { Kafka } from 'kafkajs';
import { describeWithInfra, startKafka, type KafkaBroker } from '@sitter/infra-harness';
import { createKafkaDecliner, DeadLetterHeaders, loadDeclinerConfig, type KafkaDecliner } from '../src';
import { JobServiceFixture } from './support/job-service';
import {
  committedOffsets,
  declineOf,
  freshTopics,
  groupState,
  header,
  produce,
  readAll,
  testEnv,
  testKafka,
  type TestTopics,
} from './support/kafka';
import { capturingLogger, type LogEntry } from './support/logs';
import { waitFor } from './support/wait';

// A real broker: skipped with a message only outside CI when Kafka is not provisioned (CI=true throws).
const describeReal = describeWithInfra(['kafka']);

describeReal('the Kafka decliner on a real broker', () => {
  let broker: KafkaBroker;
  let kafka: Kafka;
  let jobs: JobServiceFixture;
  const running: KafkaDecliner[] = [];

  beforeAll(async () => {
    broker = await startKafka();
    kafka = testKafka(broker.brokers);
    jobs = await JobServiceFixture.start();
  }, 120_000);

  afterEach(async () => {
    await Promise.all(running.splice(0).map((decliner) => decliner.stop()));
  });

  afterAll(async () => {
    await jobs?.stop();
    await broker?.stop();
  }, 30_000);

  const createDecliner = (topics: TestTopics, overrides: Record<string, string> = {}) => {
    const { logger, entries } = capturingLogger();
    const decliner = createKafkaDecliner({
      config: loadDeclinerConfig(testEnv(broker.brokers, topics, overrides)),
      invoker: jobs.runtime.invoker,
      logger,
    });
    running.push(decliner);
    return { decliner, logs: entries };
  };

  const startDecliner = async (topics: TestTopics, overrides: Record<string, string> = {}) => {
    const started = createDecliner(topics, overrides);
    await started.decliner.start();
    return started;
  };

  const deadLettersOf = async (topics: TestTopics) => readAll(kafka, topics.deadLetterTopic);

  it('when decline requests arrive, then each application is DECLINED once, /readyz turns ready and /metrics counts them', async () => {
    // Arrange
    const topics = await freshTopics(broker.brokers);
    const applications = await jobs.pendingApplications(3);
    const { decliner } = createDecliner(topics);
    const readyBefore = (await request(decliner.http).get('/readyz')).status;

    // Act
    await decliner.start();
    await produce(
      kafka,
      topics.topic,
      applications.applicationIds.map((id) => ({ key: applications.jobId, value: declineOf(applications.jobId, id) })),
    );
    await waitFor(() => jobs.allDeclined(applications), 'every application to be DECLINED');

    // Assert
    expect(readyBefore).toBe(503);
    expect((await request(decliner.http).get('/readyz')).status).toBe(200);
    expect((await request(decliner.http).get('/healthz')).status).toBe(200);
    for (const id of applications.applicationIds) expect(jobs.front.outcomesFor(id)).toEqual(['DECLINED']);
    await waitFor(() => decliner.metrics.registry.value('decliner_applications_declined_total') === 3, 'the count');
    const metrics = await request(decliner.http).get('/metrics');
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.text).toContain('decliner_applications_declined_total 3');
    expect(metrics.text).toContain('decliner_messages_processed_total{outcome="declined"} 3');
    expect(metrics.text).toContain('decliner_retries_total 0');
    expect(metrics.text).toContain('decliner_dead_letters_total{reason="unknown"} 0');
    expect(metrics.text).toMatch(new RegExp(`decliner_consumer_lag\\{topic="${topics.topic}",partition="\\d"\\} 0`));
    expect(await deadLettersOf(topics)).toEqual([]);
  });

  it('when a second replica joins the group, then the first stays ready through the rebalance', async () => {
    // Arrange
    const topics = await freshTopics(broker.brokers);
    const { decliner: first } = await startDecliner(topics);
    await waitFor(() => first.isReady(), 'the first replica to join its group');
    const readiness: number[] = [];
    let watching = true;
    const watch = (async () => {
      while (watching) {
        readiness.push((await request(first.http).get('/readyz')).status);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();

    // Act
    const { decliner: second } = await startDecliner(topics);
    await waitFor(() => second.isReady(), 'the second replica to join');
    await waitFor(async () => (await groupState(kafka, topics.groupId)).members === 2, 'both members in the group');
    await waitFor(async () => (await groupState(kafka, topics.groupId)).state === 'Stable', 'a stable group');
    watching = false;
    await watch;

    // Assert
    expect(readiness.length).toBeGreaterThan(10);
    expect(readiness.filter((status) => status !== 200)).toEqual([]);
  });

  it('when the same decline arrives twice, then the second is acknowledged as already declined and nothing is dead-lettered', async () => {
    // Arrange
    const topics = await freshTopics(broker.brokers);
    const applications = await jobs.pendingApplications(1);
    const [applicationId] = applications.applicationIds;
    const decline = { key: applications.jobId, value: declineOf(applications.jobId, applicationId) };
    const { decliner } = await startDecliner(topics);

    // Act
    await produce(kafka, topics.topic, [decline, decline]);
    await waitFor(() => jobs.front.callsFor(applicationId).length === 2, 'both deliveries to reach the job service');

    // Assert
    expect(jobs.front.outcomesFor(applicationId)).toEqual(['DECLINED', 'ALREADY_DECLINED']);
    expect((await jobs.statuses(applications))[applicationId]).toBe('DECLINED');
    await waitFor(
      () => decliner.metrics.registry.value('decliner_messages_processed_total', { outcome: 'already_declined' }) === 1,
      'the repeat to be counted',
    );
    expect(decliner.metrics.registry.value('decliner_applications_declined_total')).toBe(1);
    expect(await deadLettersOf(topics)).toEqual([]);
  });

  it('when a partner names an unknown application, then the message goes to the dead-letter topic at once with its origin in headers', async () => {
    // Arrange
    const topics = await freshTopics(broker.brokers);
    const { jobId } = await jobs.pendingApplications(1);
    const partnerDecline = declineOf(jobId, 'no-such-application', { source: 'agency-background-checks' });
    await startDecliner(topics);

    // Act
    await produce(kafka, topics.topic, [
      { key: jobId, value: partnerDecline, headers: { 'x-request-id': 'partner-req-1' } },
    ]);
    await waitFor(async () => (await deadLettersOf(topics)).length === 1, 'one dead letter');

    // Assert
    const [{ message }] = await deadLettersOf(topics);
    const [original] = await readAll(kafka, topics.topic);
    expect(message.key?.toString()).toBe(jobId);
    expect(JSON.parse(message.value?.toString() ?? '')).toEqual(partnerDecline);
    expect(header(message, DeadLetterHeaders.reason)).toBe('unknown');
    expect(header(message, DeadLetterHeaders.attempts)).toBe('1');
    expect(header(message, DeadLetterHeaders.error)).toContain('404');
    expect(header(message, DeadLetterHeaders.originalTopic)).toBe(topics.topic);
    expect(header(message, DeadLetterHeaders.originalPartition)).toBe(String(original.partition));
    expect(header(message, DeadLetterHeaders.originalOffset)).toBe(original.message.offset);
    expect(header(message, 'x-request-id')).toBe('partner-req-1');
    expect(jobs.front.callsFor('no-such-application')).toHaveLength(1);
  });

  it('when messages are malformed or break the schema, then they are dead-lettered at once and the valid one behind them is declined', async () => {
    // Arrange
    const topics = await freshTopics(broker.brokers);
    const applications = await jobs.pendingApplications(1);
    const [applicationId] = applications.applicationIds;
    const key = applications.jobId;
    const { decliner } = await startDecliner(topics);

    // Act
    await produce(kafka, topics.topic, [
      { key, value: '{"version":1,"applicationId":' },
      { key, value: { ...declineOf(key, applicationId), requestedAt: 'last tuesday' } },
      { key, value: declineOf(key, applicationId) },
    ]);
    await waitFor(() => jobs.allDeclined(applications), 'the valid decline to be applied');
    await waitFor(async () => (await deadLettersOf(topics)).length === 2, 'two dead letters');

    // Assert
    const deadLetters = await deadLettersOf(topics);
    expect(deadLetters.map(({ message }) => header(message, DeadLetterHeaders.reason))).toEqual([
      'malformed',
      'invalid',
    ]);
    expect(deadLetters[0].message.value?.toString()).toBe('{"version":1,"applicationId":');
    expect(header(deadLetters[1].message, DeadLetterHeaders.error)).toContain('requestedAt');
    expect(deadLetters.every(({ message }) => header(message, DeadLetterHeaders.attempts) === '1')).toBe(true);
    expect(jobs.front.outcomesFor(applicationId)).toEqual(['DECLINED']);
    expect(decliner.metrics.registry.value('decliner_dead_letters_total', { reason: 'malformed' })).toBe(1);
  });

  it('when the application is ACCEPTED, then the refusal is recorded once and neither retried nor dead-lettered', async () => {
    // Arrange
    const topics = await freshTopics(broker.brokers);
    const applications = await jobs.pendingApplications(1);
    const [applicationId] = applications.applicationIds;
    await jobs.accept(applications, applicationId);
    const { decliner, logs } = await startDecliner(topics);

    // Act
    await produce(kafka, topics.topic, [
      { key: applications.jobId, value: declineOf(applications.jobId, applicationId) },
    ]);
    await waitFor(
      () => decliner.metrics.registry.value('decliner_messages_processed_total', { outcome: 'refused' }) === 1,
      'the refusal to be recorded',
    );

    // Assert
    expect((await jobs.statuses(applications))[applicationId]).toBe('ACCEPTED');
    expect(jobs.front.outcomesFor(applicationId)).toEqual(['409']);
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'decline refused: the application is accepted and is never declined',
        applicationId,
      }),
    );
    expect(decliner.metrics.registry.value('decliner_retries_total')).toBe(0);
    expect(await deadLettersOf(topics)).toEqual([]);
  });

  it('when the job service fails twice, then the third attempt declines and nothing is dead-lettered', async () => {
    // Arrange
    const topics = await freshTopics(broker.brokers);
    const applications = await jobs.pendingApplications(1);
    const [applicationId] = applications.applicationIds;
    jobs.front.fail(applicationId, 2);
    const { decliner, logs } = await startDecliner(topics);

    // Act
    await produce(kafka, topics.topic, [
      { key: applications.jobId, value: declineOf(applications.jobId, applicationId) },
    ]);
    await waitFor(() => jobs.allDeclined(applications), 'the application to be DECLINED');

    // Assert
    expect(jobs.front.outcomesFor(applicationId)).toEqual(['503', '503', 'DECLINED']);
    const retries = logs.filter(
      (entry) => entry.message === 'decline failed, will retry' && entry.applicationId === applicationId,
    );
    expect(retries.map((entry) => [entry.attempt, entry.delayMs])).toEqual([
      [1, 20],
      [2, 40],
    ]);
    expect(decliner.metrics.registry.value('decliner_retries_total')).toBe(2);
    expect(await deadLettersOf(topics)).toEqual([]);
  });

  it('when the job service keeps failing for one message, then it is dead-lettered after exactly 5 attempts and its batch neighbours are declined once', async () => {
    // Arrange
    const topics = await freshTopics(broker.brokers, 1);
    const applications = await jobs.pendingApplications(3);
    const [before, failing, after] = applications.applicationIds;
    jobs.front.fail(failing);
    await startDecliner(topics);

    // Act
    await produce(
      kafka,
      topics.topic,
      [before, failing, after].map((id) => ({ key: applications.jobId, value: declineOf(applications.jobId, id) })),
    );
    await waitFor(async () => (await deadLettersOf(topics)).length === 1, 'the dead letter');
    await waitFor(() => jobs.front.callsFor(after).length === 1, 'the message after it');

    // Assert
    const [{ message }] = await deadLettersOf(topics);
    expect(JSON.parse(message.value?.toString() ?? '').applicationId).toBe(failing);
    expect(header(message, DeadLetterHeaders.attempts)).toBe('5');
    expect(header(message, DeadLetterHeaders.reason)).toBe('exhausted');
    expect(header(message, DeadLetterHeaders.error)).toContain('503');
    expect(header(message, DeadLetterHeaders.originalOffset)).toBe('1');
    expect(jobs.front.callsFor(failing)).toHaveLength(5);
    expect(jobs.front.outcomesFor(before)).toEqual(['DECLINED']);
    expect(jobs.front.outcomesFor(after)).toEqual(['DECLINED']);
    expect(await jobs.statuses(applications)).toEqual({
      [before]: 'DECLINED',
      [failing]: 'PENDING',
      [after]: 'DECLINED',
    });
    jobs.front.heal(failing);
  });

  it("when several jobs' declines are interleaved over partitions, then each job's are applied in the order produced", async () => {
    // Arrange
    const topics = await freshTopics(broker.brokers, 3);
    const batches = await Promise.all([1, 2, 3, 4].map(() => jobs.pendingApplications(5)));
    const interleaved = [0, 1, 2, 3, 4].flatMap((round) =>
      batches.map((applications) => ({
        key: applications.jobId,
        value: declineOf(applications.jobId, applications.applicationIds[round]),
      })),
    );
    jobs.front.delayMs = 5;
    await startDecliner(topics, { KAFKA_PARTITIONS_CONCURRENTLY: '3' });

    // Act
    await produce(kafka, topics.topic, interleaved);
    for (const applications of batches) await waitFor(() => jobs.allDeclined(applications), 'all declined');
    jobs.front.delayMs = 0;

    // Assert
    for (const applications of batches) {
      const seen = jobs.front.calls
        .filter((call) => call.jobId === applications.jobId)
        .map((call) => call.applicationId);
      expect(seen).toEqual(applications.applicationIds);
    }
  });

  it('when a message carries x-request-id, then every log line of its handling carries it, and the job service receives it', async () => {
    // Arrange
    const topics = await freshTopics(broker.brokers);
    const applications = await jobs.pendingApplications(1);
    const [applicationId] = applications.applicationIds;
    jobs.front.fail(applicationId, 1);
    const { logs } = await startDecliner(topics);

    // Act
    await produce(kafka, topics.topic, [
      {
        key: applications.jobId,
        value: declineOf(applications.jobId, applicationId),
        headers: { 'x-request-id': 'req-from-kafka-42' },
      },
    ]);
    await waitFor(() => jobs.allDeclined(applications), 'the decline');
    await waitFor(() => logs.some((entry) => entry.message === 'application declined'), 'the last line');

    // Assert
    const handling = logs.filter((entry: LogEntry) => entry.topic === topics.topic && entry.offset !== undefined);
    expect(handling.map((entry) => entry.message)).toEqual([
      'decline request received',
      'decline failed, will retry',
      'application declined',
    ]);
    expect(handling.every((entry) => entry.requestId === 'req-from-kafka-42')).toBe(true);
    expect(jobs.front.callsFor(applicationId).map((call) => call.requestId)).toEqual([
      'req-from-kafka-42',
      'req-from-kafka-42',
    ]);
  });

  it('when stopped mid-batch, then the message under way finishes and is committed, the group is left, and a restart declines the rest once', async () => {
    // Arrange
    const topics = await freshTopics(broker.brokers, 1);
    const applications = await jobs.pendingApplications(6);
    const first = createDecliner(topics);
    let stopping: Promise<void> | undefined;
    jobs.front.delayMs = 100;
    jobs.front.onCall = ({ applicationId }) => {
      if (applicationId === applications.applicationIds[1]) stopping ??= first.decliner.stop();
    };
    await first.decliner.start();

    // Act
    await produce(
      kafka,
      topics.topic,
      applications.applicationIds.map((id) => ({ key: applications.jobId, value: declineOf(applications.jobId, id) })),
    );
    await waitFor(() => stopping !== undefined, 'the stop');
    await stopping;
    jobs.front.onCall = undefined;
    jobs.front.delayMs = 0;
    const handledBeforeStop = jobs.front.calls.filter((call) => call.jobId === applications.jobId).length;
    const committed = (await committedOffsets(kafka, topics.groupId, topics.topic)).get(0);
    const group = await groupState(kafka, topics.groupId);
    await startDecliner(topics);
    await waitFor(() => jobs.allDeclined(applications), 'the rest after the restart');

    // Assert
    expect(handledBeforeStop).toBe(2);
    expect(committed).toBe(2);
    expect(group).toEqual({ state: 'Empty', members: 0 });
    for (const id of applications.applicationIds) expect(jobs.front.outcomesFor(id)).toEqual(['DECLINED']);
  });
});
