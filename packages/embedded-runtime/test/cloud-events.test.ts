import type { DeliveredMessage } from '@sitter/ports';
import { createLogger } from '@sitter/platform';
import { EmbeddedRuntime } from '../src';

const logger = createLogger('cloud-events-test', 'silent');

const deliverOne = async (publishRaw: boolean): Promise<DeliveredMessage<unknown>> => {
  const runtime = new EmbeddedRuntime({ logger });
  const received: Array<DeliveredMessage<unknown>> = [];
  runtime.broker.subscriberFor('job').subscribe('format-topic', async (message) => {
    received.push(message);
  });
  await runtime.start();
  await runtime.broker
    .publisherFor('booking')
    .publish('format-topic', { hello: 'world' }, { partitionKey: 'job-1', rawPayload: publishRaw });
  await runtime.broker.drain();
  await runtime.stop();
  return received[0];
};

describe('embedded broker message format', () => {
  it('when a message is published, then it travels in a CloudEvents 1.0 envelope from the publishing app', async () => {
    const message = await deliverOne(false);

    expect(message.data).toEqual({ hello: 'world' });
    expect(message.cloudEvent).toMatchObject({
      specversion: '1.0',
      id: message.id,
      source: 'booking',
      type: 'com.dapr.event.sent',
      datacontenttype: 'application/json',
    });
    expect(Number.isNaN(Date.parse(message.cloudEvent!.time))).toBe(false);
  });

  it('when a message is published with rawPayload, then it arrives without an envelope', async () => {
    const message = await deliverOne(true);

    expect(message.data).toEqual({ hello: 'world' });
    expect(message.cloudEvent).toBeUndefined();
  });
});
