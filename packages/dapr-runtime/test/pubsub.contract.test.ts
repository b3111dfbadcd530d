import { rmSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import { pubSubContract, type PubSubHarness } from '@sitter/ports/contract/pubsub.contract';
import { unique, waitForCount } from '@sitter/ports/contract/wait-for';
import {
  createTopics,
  describeWithInfra,
  makeTempDir,
  startDaprd,
  startKafka,
  writeDaprResources,
  type Daprd,
  type KafkaBroker,
  type ResiliencyPlan,
} from '@sitter/infra-harness';
import { saramaPartition } from '@sitter/contracts';
import type { DeliveredMessage } from '@sitter/ports';
import { createLogger, currentRequestId, runWithRequestId } from '@sitter/platform';
import { DaprPublisher, DaprSubscriber, SidecarConnection } from '../src';
import { serveLocally, type LocalApp } from './local-app';

// Real processes: skipped with a message only outside CI when the tools are not provisioned (CI=true throws).
const describeReal = describeWithInfra(['kafka', 'daprd']);

const logger = createLogger('dapr-pubsub-contract', 'silent');

/**
 * Four deliveries two seconds apart: long enough for a message on another partition to be fetched meanwhile even on
 * a loaded machine (three a second apart once failed in CI), short enough for the dead-letter cases.
 */
const resiliency: Partial<ResiliencyPlan> = {
  deliveryAttempts: 4,
  deliveryBackoff: { policy: 'constant', duration: '2s' },
  deliveryTimeout: '10s',
};

/**
 * Kafka keeps order, and blocks on a failing message, per partition, not per key: two keys on one partition wait
 * for each other. The harness picks keys on different partitions; the many partitions keep the odds low even if
 * the partitioner differed from the one assumed below.
 */
const TOPIC_PARTITIONS = 128;

/** Two fresh keys on different partitions, so neither can wait behind the other. */
const keysOnDifferentPartitions = (partitions: number): [string, string] => {
  const first = unique('key-a');
  let second = unique('key-b');
  while (saramaPartition(second, partitions) === saramaPartition(first, partitions)) second = unique('key-b');
  return [first, second];
};

describeReal('Dapr pub/sub on Kafka', () => {
  // Made in beforeAll, so that a skipped suite leaves nothing behind.
  let dir: string;
  const run = unique('run');
  let kafka: KafkaBroker;
  let publisherSidecar: Daprd;

  /** Each sidecar gets its own resources, scoped to its app id alone. */
  const resourcesFor = (appId: string) =>
    writeDaprResources(path.join(dir, appId), { apps: [appId], components: ['pubsub'], resiliency });

  beforeAll(async () => {
    dir = makeTempDir('dapr-pubsub-contract');
    kafka = await startKafka();
    const appId = `contract-publisher-${run}`;
    publisherSidecar = await startDaprd({
      appId,
      resourcesPath: resourcesFor(appId),
      kafkaBrokers: kafka.brokers,
      readiness: 'outbound',
    });
  }, 120_000);

  afterAll(async () => {
    await publisherSidecar?.stop();
    await kafka?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  interface Running {
    app: LocalApp;
    sidecar?: Daprd;
  }

  /** Creates the topics the subscribers declared, then serves each subscriber's router behind its own sidecar. */
  const startSubscribers = async (subscribers: ReadonlyMap<string, DaprSubscriber>, running: Running[]) => {
    const declared = [...subscribers.values()].flatMap((subscriber) => subscriber.subscriptions());
    const deadLetterTopics = new Set(declared.map((subscription) => subscription.deadLetterTopic));
    const topics = new Set([...declared.map((subscription) => subscription.topic), ...deadLetterTopics]);
    await createTopics(
      kafka.brokers,
      [...topics].map((name) => ({ name, partitions: deadLetterTopics.has(name) ? 1 : TOPIC_PARTITIONS })),
    );
    await Promise.all(
      [...subscribers].map(async ([appId, subscriber]) => {
        const entry: Running = { app: await serveLocally(express().use(subscriber.router)) };
        running.push(entry);
        entry.sidecar = await startDaprd({
          appId,
          appPort: entry.app.port,
          resourcesPath: resourcesFor(appId),
          kafkaBrokers: kafka.brokers,
        });
      }),
    );
  };

  const stopAll = (running: readonly Running[]) =>
    Promise.all(
      running.map(async ({ app, sidecar }) => {
        await sidecar?.stop();
        await app.close();
      }),
    );

  const publisherConnection = () => new SidecarConnection({ daprHttpPort: publisherSidecar.httpPort });

  const harness = async (): Promise<PubSubHarness> => {
    const test = unique('t');
    // The contract's app ids name roles; each test's sidecars get ids of their own, so consumer groups never repeat.
    const subscribers = new Map<string, DaprSubscriber>();
    const running: Running[] = [];
    const connection = publisherConnection();
    return {
      maxAttempts: resiliency.deliveryAttempts!,
      deliveryTimeoutMs: 60_000,
      publisher: () => new DaprPublisher(connection),
      subscriber: (role) => {
        const appId = `${role}-${test}`;
        let subscriber = subscribers.get(appId);
        if (!subscriber) {
          subscriber = new DaprSubscriber(logger);
          subscribers.set(appId, subscriber);
        }
        return subscriber;
      },
      independentKeys: () => keysOnDifferentPartitions(TOPIC_PARTITIONS),
      start: () => startSubscribers(subscribers, running),
      teardown: () => stopAll(running).then(() => undefined),
    };
  };

  pubSubContract('dapr, pubsub.kafka', harness);

  describe('raw payloads (how every topic of the system is published)', () => {
    const running: Running[] = [];

    afterEach(async () => {
      await stopAll(running.splice(0));
    }, 60_000);

    it('when a raw message fails once, then it arrives bare, with the request id, and comes again with the same id', async () => {
      // Arrange
      const topic = unique('raw');
      const subscriber = new DaprSubscriber(logger);
      const deliveries: Array<{ message: DeliveredMessage<unknown>; requestId?: string }> = [];
      subscriber.subscribe(topic, async (message) => {
        deliveries.push({ message, requestId: currentRequestId() });
        if (message.attempt === 1) throw new Error('fails once');
      });
      await startSubscribers(new Map([[unique('raw-subscriber'), subscriber]]), running);
      const requestId = unique('request');
      const data = { bookingId: 'b-1', amount: 12.5, note: 'héllo' };

      // Act
      await runWithRequestId(requestId, () =>
        new DaprPublisher(publisherConnection()).publish(topic, data, { rawPayload: true, partitionKey: 'b-1' }),
      );

      // Assert
      await waitForCount(deliveries, 2, { timeoutMs: 60_000 });
      const [first, second] = deliveries;
      expect(first.message).toEqual({ id: first.message.id, topic, data, attempt: 1 });
      expect(first.message.id).toMatch(new RegExp(`^${topic}/\\d+/0$`));
      expect(second.message).toEqual({ id: first.message.id, topic, data, attempt: 2 });
      expect([first.requestId, second.requestId]).toEqual([requestId, requestId]);
    }, 90_000);
  });
});
