import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { RequestListener, Server } from 'node:http';
import path from 'node:path';
import type { Kafka } from 'kafkajs';
import { AppIds } from '@sitter/contracts';
import { describeWithInfra, startKafka, type KafkaBroker } from '@sitter/infra-harness';
import { close, listen } from '@sitter/platform';
import {
  createKafkaDecliner,
  DeadLetterHeaders,
  loadDeclinerConfig,
  REPLAYED_FROM_HEADER,
  replayDeadLetters,
  saramaPartition,
  type KafkaDecliner,
} from '../src';
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
import { capturingLogger } from './support/logs';
import { REPO_ROOT, runTs, runTsToEnd, type RunningProcess } from './support/processes';
import { waitFor } from './support/wait';

// A real broker: skipped with a message only outside CI when Kafka is not provisioned (CI=true throws).
const describeReal = describeWithInfra(['kafka']);

const MAIN = 'services/decliner/src/main.ts';
const REPLAY = 'services/decliner/src/replay.ts';

/** daprd's invoke API for the job service (`/v1.0/invoke/job/method/<path>`) in front of `target`. */
const sidecarOf =
  (target: RequestListener): RequestListener =>
  (request, response) => {
    const prefix = `/v1.0/invoke/${AppIds.job}/method`;
    if (!request.url?.startsWith(`${prefix}/`)) {
      response.writeHead(404).end();
      return;
    }
    request.url = request.url.slice(prefix.length);
    target(request, response);
  };

const kcatMissing = spawnSync('kcat', ['-V']).error !== undefined;
// `npm run infra:provision` installs kcat; in CI its absence is a failure, never a skip.
if (kcatMissing && process.env.CI === 'true') throw new Error('kcat is not installed: run `npm run infra:provision`');
if (kcatMissing) console.warn('kcat is not installed (npm run infra:provision): the README kcat example is not run');

describeReal('the decliner as a process, its replay command and its examples, on a real broker', () => {
  let broker: KafkaBroker;
  let kafka: Kafka;
  let jobs: JobServiceFixture;
  let front: { server: Server; port: string };
  const processes: RunningProcess[] = [];
  const decliners: KafkaDecliner[] = [];

  beforeAll(async () => {
    broker = await startKafka();
    kafka = testKafka(broker.brokers);
    jobs = await JobServiceFixture.start();
    const listening = await listen(sidecarOf(jobs.front.handler), 0, '127.0.0.1');
    front = { server: listening.server, port: String(listening.port) };
  }, 120_000);

  afterEach(async () => {
    jobs.front.onCall = undefined;
    jobs.front.delayMs = 0;
    for (const running of processes.splice(0)) {
      if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGKILL');
      await running.exited;
    }
    await Promise.all(decliners.splice(0).map((decliner) => decliner.stop()));
  });

  afterAll(async () => {
    if (front) await close(front.server);
    await jobs?.stop();
    await broker?.stop();
  }, 30_000);

  /** src/main.ts in its own process, calling the job service through the front, where its sidecar would be. */
  const startMain = async (topics: TestTopics): Promise<RunningProcess> => {
    const running = runTs(
      MAIN,
      testEnv(broker.brokers, topics, { DAPR_HTTP_PORT: front.port, PORT: '0', LOG_LEVEL: 'info' }),
    );
    processes.push(running);
    await waitFor(() => {
      if (running.child.exitCode !== null) throw new Error(`main.ts exited:\n${running.stderr()}${running.stdout()}`);
      return running.lines.some((line) => line.message === 'joined the consumer group');
    }, 'main.ts to join its group');
    return running;
  };

  const startInProcess = async (topics: TestTopics, overrides: Record<string, string> = {}) => {
    const { logger } = capturingLogger();
    const decliner = createKafkaDecliner({
      config: loadDeclinerConfig(testEnv(broker.brokers, topics, overrides)),
      invoker: jobs.runtime.invoker,
      logger,
    });
    decliners.push(decliner);
    await decliner.start();
    return decliner;
  };

  const declinesOf = (applications: { jobId: string; applicationIds: string[] }) =>
    applications.applicationIds.map((id) => ({ key: applications.jobId, value: declineOf(applications.jobId, id) }));

  it('when the consumer process is killed mid-batch and started again, then every application ends DECLINED exactly once and none is lost', async () => {
    // Arrange
    const topics = await freshTopics(broker.brokers, 1);
    const applications = await jobs.pendingApplications(12);
    const first = await startMain(topics);
    jobs.front.delayMs = 20;
    jobs.front.onCall = ({ applicationId }) => {
      // Killed while the job service handles this one: it is declined, but its offset is never committed.
      if (applicationId === applications.applicationIds[5]) first.child.kill('SIGKILL');
    };

    // Act
    await produce(kafka, topics.topic, declinesOf(applications));
    const killed = await first.exited;
    jobs.front.onCall = undefined;
    const committedAtKill = (await committedOffsets(kafka, topics.groupId, topics.topic)).get(0) ?? -1;
    await startMain(topics);
    await waitFor(() => jobs.allDeclined(applications), 'every application to be DECLINED after the restart');

    // Assert
    expect(killed.signal).toBe('SIGKILL');
    expect(committedAtKill).toBeLessThanOrEqual(5);
    for (const id of applications.applicationIds) {
      expect(jobs.front.outcomesFor(id).filter((outcome) => outcome === 'DECLINED')).toHaveLength(1);
    }
    expect(jobs.front.outcomesFor(applications.applicationIds[5])).toEqual(['DECLINED', 'ALREADY_DECLINED']);
    expect(await readAll(kafka, topics.deadLetterTopic)).toEqual([]);
  });

  it('when the consumer process gets SIGTERM mid-batch, then it finishes the message under way, commits it, leaves the group and exits 0', async () => {
    // Arrange
    const topics = await freshTopics(broker.brokers, 1);
    const applications = await jobs.pendingApplications(8);
    const running = await startMain(topics);
    jobs.front.delayMs = 150;
    jobs.front.onCall = ({ applicationId }) => {
      if (applicationId === applications.applicationIds[2]) running.child.kill('SIGTERM');
    };

    // Act
    await produce(kafka, topics.topic, declinesOf(applications));
    const exit = await running.exited;

    // Assert
    const handled = jobs.front.calls.filter((call) => call.jobId === applications.jobId);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(handled.map((call) => call.outcome)).toEqual(['DECLINED', 'DECLINED', 'DECLINED']);
    expect((await committedOffsets(kafka, topics.groupId, topics.topic)).get(0)).toBe(3);
    expect(await groupState(kafka, topics.groupId)).toEqual({ state: 'Empty', members: 0 });
    expect(running.lines.map((line) => line.message)).toContain('decliner stopped');
  });

  it('when dead letters are replayed by reason, then the matching ones go back, are declined, and a second replay moves nothing', async () => {
    // Arrange
    const topics = await freshTopics(broker.brokers, 3);
    const applications = await jobs.pendingApplications(1);
    const [failing] = applications.applicationIds;
    jobs.front.fail(failing);
    await startInProcess(topics, { DECLINE_MAX_ATTEMPTS: '2' });
    await produce(kafka, topics.topic, [
      { key: applications.jobId, value: declineOf(applications.jobId, failing), headers: { 'x-request-id': 'req-7' } },
      { key: applications.jobId, value: declineOf(applications.jobId, 'unknown-one') },
    ]);
    await waitFor(async () => (await readAll(kafka, topics.deadLetterTopic)).length === 2, 'two dead letters');
    jobs.front.heal(failing);
    const env = testEnv(broker.brokers, topics, { LOG_LEVEL: 'warn' });

    // Act
    const firstRun = await runTsToEnd(REPLAY, env, ['--reason', 'exhausted']);
    await waitFor(() => jobs.allDeclined(applications), 'the replayed decline to be applied');
    const secondRun = await runTsToEnd(REPLAY, env, ['--reason', 'exhausted']);

    // Assert
    expect(firstRun).toContain(`replay ${topics.deadLetterTopic} -> ${topics.topic}, filter: reason=exhausted`);
    expect(counts(firstRun)).toEqual({ 'dead letters': 2, 'moved before': 0, matching: 1, 'moved now': 1, left: 1 });
    expect(counts(secondRun)).toEqual({ 'dead letters': 2, 'moved before': 1, matching: 0, 'moved now': 0, left: 1 });
    expect(jobs.front.outcomesFor(failing)).toEqual(['503', '503', 'DECLINED']);
    const replayed = (await readAll(kafka, topics.topic)).filter(({ message }) =>
      header(message, REPLAYED_FROM_HEADER),
    );
    expect(replayed).toHaveLength(1);
    expect(replayed[0].message.key?.toString()).toBe(applications.jobId);
    expect(header(replayed[0].message, 'x-request-id')).toBe('req-7');
    expect(header(replayed[0].message, DeadLetterHeaders.reason)).toBeUndefined();
  });

  it('when a replay is filtered by application or is a dry run, then only the matching dead letters count and a dry run moves none', async () => {
    // Arrange
    const topics = await freshTopics(broker.brokers, 3);
    await startInProcess(topics);
    const { jobId } = await jobs.pendingApplications(1);
    await produce(kafka, topics.topic, [
      { key: jobId, value: declineOf(jobId, 'ghost-1') },
      { key: jobId, value: declineOf(jobId, 'ghost-2') },
      { key: jobId, value: 'not json' },
    ]);
    await waitFor(async () => (await readAll(kafka, topics.deadLetterTopic)).length === 3, 'three dead letters');
    const options = { kafka, topic: topics.topic, deadLetterTopic: topics.deadLetterTopic };

    // Act
    const dryRun = await replayDeadLetters({ ...options, filter: { jobId }, dryRun: true });
    const oneApplication = await replayDeadLetters({ ...options, filter: { applicationId: 'ghost-2' } });

    // Assert
    expect(dryRun).toEqual({ deadLetters: 3, movedBefore: 0, matched: 2, moved: 0, left: 3 });
    expect(oneApplication).toEqual({ deadLetters: 3, movedBefore: 0, matched: 1, moved: 1, left: 2 });
    await waitFor(
      async () => (await readAll(kafka, topics.deadLetterTopic)).length === 5,
      'the marker and the new dead letter',
    );
    const again = await replayDeadLetters({ ...options, dryRun: true });
    expect(again).toEqual({ deadLetters: 4, movedBefore: 1, matched: 3, moved: 0, left: 3 });
  });

  it('when a partner runs examples/produce.ts, then the application is declined and the message sits where Dapr would put the key', async () => {
    // Arrange
    const topics = await freshTopics(broker.brokers, 6);
    const applications = await jobs.pendingApplications(1);
    await startInProcess(topics);

    // Act
    const output = await runTsToEnd('services/decliner/examples/produce.ts', {
      KAFKA_BROKERS: broker.brokers,
      DECLINES_TOPIC: topics.topic,
      JOB_ID: applications.jobId,
      APPLICATION_ID: applications.applicationIds[0],
    });
    await waitFor(() => jobs.allDeclined(applications), 'the decline');

    // Assert
    const partition = Number(/partition (\d+)/.exec(output)?.[1]);
    expect(partition).toBe(saramaPartition(applications.jobId, 6));
    const [{ message }] = await readAll(kafka, topics.topic);
    expect(JSON.parse(message.value?.toString() ?? '')).toMatchObject({ source: 'acme-agency', version: 1 });
  });

  (kcatMissing ? it.skip : it)(
    'when a partner runs the README kcat example as written, then the application is declined and the message sits where Dapr would put the key',
    async () => {
      // Arrange
      const topics = await freshTopics(broker.brokers, 6);
      const applications = await jobs.pendingApplications(1);
      await startInProcess(topics);
      const script = readmeBlock('kcat-example');

      // Act
      execFileSync('bash', ['-euo', 'pipefail', '-c', script], {
        env: {
          ...process.env,
          KAFKA_BROKERS: broker.brokers,
          DECLINES_TOPIC: topics.topic,
          JOB_ID: applications.jobId,
          APPLICATION_ID: applications.applicationIds[0],
        },
      });
      await waitFor(() => jobs.allDeclined(applications), 'the decline');

      // Assert
      const [{ partition, message }] = await readAll(kafka, topics.topic);
      expect(partition).toBe(saramaPartition(applications.jobId, 6));
      expect(header(message, 'x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(JSON.parse(message.value?.toString() ?? '')).toMatchObject({ source: 'acme-agency' });
    },
  );
});

/** "  name:  N" lines of the replay command's output. */
const counts = (output: string): Record<string, number> =>
  Object.fromEntries([...output.matchAll(/^ {2}([a-z ]+):\s+(\d+)$/gm)].map((match) => [match[1], Number(match[2])]));

/** The first sh block after `<!-- name: ... -->` in the README. */
const readmeBlock = (name: string): string => {
  const readme = readFileSync(path.join(REPO_ROOT, 'services', 'decliner', 'README.md'), 'utf8');
  const after = readme.slice(readme.indexOf(`<!-- ${name}`));
  const match = /```sh\n([\s\S]*?)```/.exec(after);
  if (!match) throw new Error(`no sh block after <!-- ${name} --> in the README`);
  return match[1];
};
