import { join } from 'node:path';
import type { DeliveredMessage } from '@sitter/ports';
import { createLogger } from '@sitter/platform';
import { waitFor, waitForCount } from '@sitter/ports/contract/wait-for';
import { EmbeddedRuntime, type EmbeddedRuntimeOptions } from '../src';
import { tempDir } from './temp-dir';
import { countLines } from './journal-files';

const logger = createLogger('broker-persistence-test', 'silent');
const topic = 'work.items';
const key = 'one-partition';

interface Item {
  label: string;
}

describe('persistent broker', () => {
  let directory: { path: string; remove(): Promise<void> };
  const running: EmbeddedRuntime[] = [];

  const runtime = (options: Partial<EmbeddedRuntimeOptions> = {}) => {
    const created = new EmbeddedRuntime({
      logger,
      dataDir: directory.path,
      retry: { maxAttempts: 1_000, initialBackoffMs: 5, maxBackoffMs: 5 },
      ...options,
    });
    running.push(created);
    return created;
  };

  /** Subscribes the worker app, recording deliveries; labels in `failing` always throw. */
  const worker = (target: EmbeddedRuntime, failing: readonly string[] = []) => {
    const deliveries: Array<DeliveredMessage<Item>> = [];
    target.broker.subscriberFor('worker').subscribe<Item>(topic, async (message) => {
      deliveries.push(message);
      if (failing.includes(message.data.label)) throw new Error(`${message.data.label} always fails`);
    });
    return deliveries;
  };

  const publish = (target: EmbeddedRuntime, label: string) =>
    target.broker.publisherFor('producer').publish<Item>(topic, { label }, { partitionKey: key });

  beforeEach(async () => {
    directory = await tempDir();
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((each) => each.stop()));
    await directory.remove();
  });

  it('when the runtime restarts, then unsettled messages are delivered again and settled ones are not', async () => {
    const first = runtime();
    const firstDeliveries = worker(first, ['stuck']);
    await first.start();
    await publish(first, 'done');
    await publish(first, 'stuck');
    await waitFor(() => firstDeliveries.filter((message) => message.data.label === 'stuck').length >= 2);
    const stuckId = firstDeliveries.find((message) => message.data.label === 'stuck')!.id;
    await first.stop();

    const second = runtime();
    const deliveries = worker(second);
    await second.start();
    // Same partition key: had 'done' been left unsettled it would come before 'stuck', and before 'marker'.
    await publish(second, 'marker');
    await waitForCount(deliveries, 2);

    expect(deliveries.map((message) => message.data.label)).toEqual(['stuck', 'marker']);
    expect(deliveries[0]).toMatchObject({ id: stuckId, attempt: 1 });
  });

  it('when messages were accepted before start and the runtime stopped, then the next run delivers them', async () => {
    const first = runtime();
    const firstDeliveries = worker(first);
    await publish(first, 'early-1');
    await publish(first, 'early-2');
    await first.stop();

    const second = runtime();
    const deliveries = worker(second);
    await second.start();
    await waitForCount(deliveries, 2);

    expect(firstDeliveries).toEqual([]);
    expect(deliveries.map((message) => message.data.label)).toEqual(['early-1', 'early-2']);
  });

  it('when a message was dead-lettered, then it is not delivered again after a restart', async () => {
    const first = runtime({ retry: { maxAttempts: 2, initialBackoffMs: 1, maxBackoffMs: 1 } });
    worker(first, ['poison']);
    const deadLetters: string[] = [];
    first.broker.subscriberFor('worker').subscribe<Item>(`${topic}.dlq`, async (message) => {
      deadLetters.push(message.data.label);
    });
    await first.start();
    await publish(first, 'poison');
    await waitForCount(deadLetters, 1);
    await first.stop();

    const second = runtime();
    const deliveries = worker(second);
    await second.start();
    await publish(second, 'marker');
    await waitForCount(deliveries, 1);

    expect(deadLetters).toEqual(['poison']);
    expect(deliveries.map((message) => message.data.label)).toEqual(['marker']);
  });

  it('when a subscription is missing after a restart, then its messages wait for a run that has it', async () => {
    const first = runtime();
    worker(first, ['pending']);
    await first.start();
    await publish(first, 'pending');
    await first.stop();
    const withoutWorker = runtime();
    await withoutWorker.start();
    await withoutWorker.stop();

    const third = runtime();
    const deliveries = worker(third);
    await third.start();
    await waitForCount(deliveries, 1);

    expect(deliveries[0].data.label).toBe('pending');
  });

  it('when the journal passes the threshold, then compaction keeps only what is unsettled', async () => {
    const options = { compaction: { minJournalLines: 10, linesPerLiveRecord: 2 } };
    const first = runtime(options);
    const firstDeliveries = worker(first, ['stuck']);
    await first.start();
    await publish(first, 'stuck');
    for (let n = 0; n < 40; n += 1) {
      await first.broker.publisherFor('producer').publish<Item>(topic, { label: `done-${n}` });
    }
    await waitFor(() => firstDeliveries.filter((message) => message.data.label.startsWith('done-')).length === 40);
    // Settlements are appended after delivery and compaction runs in the background: wait for it
    // to catch up rather than sampling the journal at an arbitrary moment.
    await waitFor(async () => (await countLines(join(directory.path, 'pubsub'))) <= 10, {
      description: 'background compaction to shrink the journal',
    });
    await first.stop();
    const linesLeft = await countLines(join(directory.path, 'pubsub'));

    const second = runtime(options);
    const deliveries = worker(second);
    await second.start();
    await second.broker.publisherFor('producer').publish<Item>(topic, { label: 'marker' }, { partitionKey: key });
    await waitFor(() => deliveries.some((message) => message.data.label === 'marker'));

    expect(linesLeft).toBeLessThan(40);
    expect(deliveries.map((message) => message.data.label)).toEqual(['stuck', 'marker']);
  });
});
