import { defaultDeadLetterTopic, type DeliveredMessage, type Publisher, type Subscriber } from '@sitter/ports';
import { currentRequestId, runWithRequestId } from '@sitter/platform';
import { unique, waitFor, waitForCount } from './wait-for';

/** App ids the suite publishes and subscribes as; a sidecar-based harness needs one sidecar per id. */
export const PubSubContractApps = {
  publisher: 'contract-publisher',
  first: 'contract-subscriber-a',
  second: 'contract-subscriber-b',
} as const;

export interface PubSubHarness {
  /** Deliveries of one message before it goes to the dead-letter topic, as this transport is set up (at least 2). */
  readonly maxAttempts: number;
  /** How long to wait for one delivery before failing; a real broker needs longer. Defaults to 10 s. */
  readonly deliveryTimeoutMs?: number;
  publisher(appId: string): Publisher;
  subscriber(appId: string): Subscriber;
  /**
   * Two partition keys the transport keeps apart (different Kafka partitions), for the case
   * that one key's failing message must not hold back the other's. Random keys otherwise.
   */
  independentKeys?(): [string, string];
  /** Called once the test has registered its subscriptions, before it publishes anything. */
  start(): Promise<void>;
  teardown(): Promise<void>;
}

interface Payload {
  seq?: number;
  label: string;
  nested?: { list: number[]; text: string };
}

/**
 * The behaviour every pub/sub adapter must have (embedded broker, Dapr with Kafka). Each
 * test uses its own topics, so a shared broker's leftovers cannot reach it.
 */
export const pubSubContract = (name: string, harness: () => Promise<PubSubHarness>): void => {
  describe(`Pub/sub contract: ${name}`, () => {
    let subject: PubSubHarness;
    let publisher: Publisher;

    const wait = { timeoutMs: 10_000 };

    beforeEach(async () => {
      subject = await harness();
      publisher = subject.publisher(PubSubContractApps.publisher);
      wait.timeoutMs = subject.deliveryTimeoutMs ?? 10_000;
    });

    afterEach(async () => {
      await subject.teardown();
    });

    /** Subscribes `appId`, recording every delivery before `handle` decides its outcome. */
    const record = (
      appId: string,
      topic: string,
      handle: (message: DeliveredMessage<Payload>) => void = () => undefined,
      options?: { deadLetterTopic?: string },
    ): Array<DeliveredMessage<Payload>> => {
      const deliveries: Array<DeliveredMessage<Payload>> = [];
      subject.subscriber(appId).subscribe<Payload>(
        topic,
        async (message) => {
          deliveries.push(message);
          handle(message);
        },
        options,
      );
      return deliveries;
    };

    it('when a message is published, then the subscriber receives the same data with an id', async () => {
      const topic = unique('contract-basic');
      const deliveries = record(PubSubContractApps.first, topic);
      await subject.start();
      const data: Payload = { label: 'héllo', nested: { list: [1, 2, 3], text: 'x"y' } };

      await publisher.publish(topic, data);

      await waitForCount(deliveries, 1, wait);
      expect(deliveries[0]).toMatchObject({ topic, data, attempt: 1 });
      expect(typeof deliveries[0].id).toBe('string');
      expect(deliveries[0].id).not.toBe('');
    });

    it('when two apps subscribe to a topic, then each gets its own copy', async () => {
      const topic = unique('contract-fanout');
      const first = record(PubSubContractApps.first, topic, (message) => {
        message.data.label = 'changed by the first subscriber';
        message.data.nested?.list.push(99);
      });
      const second = record(PubSubContractApps.second, topic);
      await subject.start();

      await publisher.publish(topic, { label: 'original', nested: { list: [1], text: 't' } });

      await waitForCount(first, 1, wait);
      await waitForCount(second, 1, wait);
      expect(second[0].data).toEqual({ label: 'original', nested: { list: [1], text: 't' } });
      expect(first[0].data.label).toBe('changed by the first subscriber');
    });

    it('when a handler throws, then the message comes again with the next attempt and the same id', async () => {
      const topic = unique('contract-retry');
      const deliveries = record(PubSubContractApps.first, topic, (message) => {
        if (message.attempt === 1) throw new Error('fails on the first attempt');
      });
      await subject.start();

      await publisher.publish(topic, { label: 'retry me' });

      await waitForCount(deliveries, 2, wait);
      expect(deliveries[0]).toMatchObject({ attempt: 1, data: { label: 'retry me' } });
      expect(deliveries[1]).toMatchObject({ attempt: 2, data: { label: 'retry me' }, id: deliveries[0].id });
    });

    it('when every attempt fails, then the message goes to <topic>.dlq and is not delivered again', async () => {
      const topic = unique('contract-dlq');
      const key = unique('key');
      const deliveries = record(PubSubContractApps.first, topic, (message) => {
        if (message.data.label === 'poison') throw new Error('always fails');
      });
      const deadLetters = record(PubSubContractApps.first, defaultDeadLetterTopic(topic));
      await subject.start();

      await publisher.publish(topic, { label: 'poison' }, { partitionKey: key });
      await waitForCount(deadLetters, 1, wait);
      // A later message with the same key is delivered after anything still queued for the poison one.
      await publisher.publish(topic, { label: 'after' }, { partitionKey: key });
      await waitFor(() => deliveries.some((message) => message.data.label === 'after'), wait);

      expect(deadLetters[0].data).toEqual({ label: 'poison' });
      const poison = deliveries.filter((message) => message.data.label === 'poison');
      expect(poison.map((message) => message.attempt)).toEqual(
        Array.from({ length: subject.maxAttempts }, (_, index) => index + 1),
      );
    });

    it('when a dead-letter topic is configured, then failed messages go there instead', async () => {
      const topic = unique('contract-custom-dlq');
      const custom = unique('contract-parking');
      record(
        PubSubContractApps.first,
        topic,
        () => {
          throw new Error('always fails');
        },
        { deadLetterTopic: custom },
      );
      const parked = record(PubSubContractApps.first, custom);
      const defaultDeadLetters = record(PubSubContractApps.first, defaultDeadLetterTopic(topic));
      await subject.start();

      await publisher.publish(topic, { label: 'parked' });

      await waitForCount(parked, 1, wait);
      expect(parked[0].data).toEqual({ label: 'parked' });
      expect(defaultDeadLetters).toEqual([]);
    });

    it('when a message keeps failing, then messages with other partition keys still arrive meanwhile', async () => {
      expect(subject.maxAttempts).toBeGreaterThanOrEqual(2);
      const topic = unique('contract-unblocked');
      let otherArrived = false;
      let stuckHandled = false;
      record(PubSubContractApps.first, topic, (message) => {
        if (message.data.label === 'other') {
          otherArrived = true;
          return;
        }
        // Fails until the other key's message got through: if that one waited behind this one,
        // this one would run out of attempts and be dead-lettered instead.
        if (message.attempt === 1 || !otherArrived) throw new Error('blocked until the other message arrives');
        stuckHandled = true;
      });
      const deadLetters = record(PubSubContractApps.first, defaultDeadLetterTopic(topic));
      await subject.start();

      const [stuckKey, otherKey] = subject.independentKeys?.() ?? [unique('key-a'), unique('key-b')];
      await publisher.publish(topic, { label: 'stuck' }, { partitionKey: stuckKey });
      await publisher.publish(topic, { label: 'other' }, { partitionKey: otherKey });

      await waitFor(() => stuckHandled || deadLetters.length > 0, wait);
      expect(deadLetters).toEqual([]);
      expect(stuckHandled).toBe(true);
    });

    it('when messages share a partition key, then they are handled in publish order, retries included', async () => {
      const topic = unique('contract-order');
      const key = unique('key');
      const handled: number[] = [];
      record(PubSubContractApps.first, topic, (message) => {
        if (message.data.seq === 0 && message.attempt === 1) throw new Error('the first one fails once');
        handled.push(message.data.seq!);
      });
      await subject.start();

      for (let seq = 0; seq < 10; seq += 1) {
        await publisher.publish(topic, { label: 'ordered', seq }, { partitionKey: key });
      }

      await waitForCount(handled, 10, wait);
      expect(handled).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });

    it('when a message is published inside a request, then its handler runs with the same request id', async () => {
      const topic = unique('contract-request-id');
      const requestId = unique('request');
      const seen: Array<string | undefined> = [];
      record(PubSubContractApps.first, topic, () => {
        seen.push(currentRequestId());
      });
      await subject.start();

      await runWithRequestId(requestId, () => publisher.publish(topic, { label: 'traced' }));

      await waitForCount(seen, 1, wait);
      expect(seen[0]).toBe(requestId);
    });
  });
};
