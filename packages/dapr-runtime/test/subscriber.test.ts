import express from 'express';
import request from 'supertest';
import { Components, Headers } from '@sitter/contracts';
import type { DeliveredMessage } from '@sitter/ports';
import { createLogger, currentRequestId } from '@sitter/platform';
import { DaprSubscriber, readDelivery } from '../src';

const logger = createLogger('dapr-subscriber-test', 'silent');

/** What daprd posts for a message published with the defaults: Dapr's CloudEvents envelope. */
const envelope = (id: string, data: unknown) => ({
  specversion: '1.0',
  id,
  source: 'publisher-app',
  type: 'com.dapr.event.sent',
  time: '2026-01-02T03:04:05Z',
  datacontenttype: 'application/json',
  pubsubname: Components.pubsub,
  topic: 'orders',
  traceparent: '',
  data,
});

/** The Kafka position headers pubsub.kafka attaches to every delivery. */
const kafkaHeaders = { __topic: 'orders', __partition: '3', __offset: '41' };

const appWith = (subscriber: DaprSubscriber) => express().use(subscriber.router);

const deliver = (subscriber: DaprSubscriber, topic: string, body: unknown, headers: Record<string, string> = {}) =>
  request(appWith(subscriber))
    .post(`/events/${encodeURIComponent(topic)}`)
    .set({ 'content-type': 'application/cloudevents+json', ...headers })
    .send(JSON.stringify(body));

describe('DaprSubscriber', () => {
  it('when topics are subscribed, then GET /dapr/subscribe lists each with its route and dead-letter topic', async () => {
    // Arrange
    const subscriber = new DaprSubscriber(logger);
    subscriber.subscribe('orders.created', async () => undefined);
    subscriber.subscribe('orders.paid', async () => undefined, { deadLetterTopic: 'parking' });

    // Act
    const response = await request(appWith(subscriber)).get('/dapr/subscribe');

    // Assert
    expect(response.status).toBe(200);
    expect(response.body).toEqual([
      {
        pubsubname: Components.pubsub,
        topic: 'orders.created',
        route: '/events/orders.created',
        deadLetterTopic: 'orders.created.dlq',
      },
      { pubsubname: Components.pubsub, topic: 'orders.paid', route: '/events/orders.paid', deadLetterTopic: 'parking' },
    ]);
  });

  it('when subscriptions are declarative, then GET /dapr/subscribe lists none (daprd reads the Subscription resources)', async () => {
    // Arrange
    const subscriber = new DaprSubscriber(logger, { declaration: 'declarative' });
    subscriber.subscribe('orders.created', async () => undefined);

    // Act
    const response = await request(appWith(subscriber)).get('/dapr/subscribe');

    // Assert
    expect(response.status).toBe(200);
    expect(response.body).toEqual([]);
  });

  it('when the sidecar loaded a matching Subscription for every topic, then there is no mismatch', () => {
    // Arrange
    const subscriber = new DaprSubscriber(logger, { declaration: 'declarative' });
    subscriber.subscribe('orders.created', async () => undefined);

    // Act
    const mismatches = subscriber.mismatches([
      {
        pubsubname: Components.pubsub,
        topic: 'orders.created',
        deadLetterTopic: 'orders.created.dlq',
        rules: [{ path: '/events/orders.created' }],
        type: 'DECLARATIVE',
      },
      { pubsubname: Components.pubsub, topic: 'someone-elses', rules: [{ path: '/x' }] },
    ]);

    // Assert
    expect(mismatches).toEqual([]);
  });

  it('when a Subscription is missing, routes elsewhere or dead-letters elsewhere, then each difference is named', () => {
    // Arrange
    const subscriber = new DaprSubscriber(logger, { declaration: 'declarative' });
    subscriber.subscribe('orders.created', async () => undefined);
    subscriber.subscribe('orders.paid', async () => undefined);
    subscriber.subscribe('orders.shipped', async () => undefined);

    // Act
    const mismatches = subscriber.mismatches([
      {
        pubsubname: Components.pubsub,
        topic: 'orders.paid',
        deadLetterTopic: 'orders.paid.dlq',
        rules: [{ path: '/orders-paid' }],
      },
      { pubsubname: 'other-pubsub', topic: 'orders.created', deadLetterTopic: 'orders.created.dlq', rules: [] },
      { pubsubname: Components.pubsub, topic: 'orders.shipped', rules: [{ path: '/events/orders.shipped' }] },
    ]);

    // Assert
    expect(mismatches).toEqual([
      `no Subscription to orders.created on ${Components.pubsub}`,
      'the Subscription to orders.paid routes to /orders-paid, not /events/orders.paid',
      'the Subscription to orders.shipped dead-letters to nothing, not orders.shipped.dlq',
    ]);
  });

  it('when subscriptions are programmatic, then nothing is compared', () => {
    // Arrange
    const subscriber = new DaprSubscriber(logger);
    subscriber.subscribe('orders.created', async () => undefined);

    // Act, Assert
    expect(subscriber.mismatches([])).toEqual([]);
  });

  it('when a topic is subscribed twice, then the second subscription is refused', () => {
    // Arrange
    const subscriber = new DaprSubscriber(logger);
    subscriber.subscribe('orders', async () => undefined);

    // Act
    const again = () => subscriber.subscribe('orders', async () => undefined);

    // Assert
    expect(again).toThrow(/already has a subscription/);
  });

  it('when a CloudEvent is delivered, then the handler gets its data, id, attributes and request id, and SUCCESS is answered', async () => {
    // Arrange
    const subscriber = new DaprSubscriber(logger);
    const seen: Array<{ message: DeliveredMessage<unknown>; requestId?: string }> = [];
    subscriber.subscribe('orders', async (message) => {
      seen.push({ message, requestId: currentRequestId() });
    });

    // Act
    const response = await deliver(subscriber, 'orders', envelope('ce-1', { n: 1 }), {
      ...kafkaHeaders,
      [Headers.requestId]: 'request-7',
    });

    // Assert
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'SUCCESS' });
    expect(seen).toEqual([
      {
        message: {
          id: 'ce-1',
          topic: 'orders',
          data: { n: 1 },
          attempt: 1,
          cloudEvent: {
            specversion: '1.0',
            id: 'ce-1',
            source: 'publisher-app',
            type: 'com.dapr.event.sent',
            time: '2026-01-02T03:04:05Z',
            datacontenttype: 'application/json',
          },
        },
        requestId: 'request-7',
      },
    ]);
  });

  it('when the handler throws, then RETRY is answered and the redelivery is counted as attempt 2 with the same id', async () => {
    // Arrange
    const subscriber = new DaprSubscriber(logger);
    const attempts: Array<[string, number]> = [];
    subscriber.subscribe('orders', async (message) => {
      attempts.push([message.id, message.attempt]);
      if (message.attempt === 1) throw new Error('first attempt fails');
    });

    // Act
    const first = await deliver(subscriber, 'orders', envelope('ce-2', {}));
    const second = await deliver(subscriber, 'orders', envelope('ce-2', {}));

    // Assert
    expect(first.body).toEqual({ status: 'RETRY' });
    expect(second.body).toEqual({ status: 'SUCCESS' });
    expect(attempts).toEqual([
      ['ce-2', 1],
      ['ce-2', 2],
    ]);
  });

  it('when a raw payload is delivered, then its data is the body, its id the Kafka position, and it has no envelope', async () => {
    // Arrange
    const subscriber = new DaprSubscriber(logger);
    const seen: Array<DeliveredMessage<unknown>> = [];
    subscriber.subscribe('orders', async (message) => {
      seen.push(message);
    });

    // Act
    const response = await deliver(subscriber, 'orders', { orderId: 'o-1', total: 12.5 }, kafkaHeaders);

    // Assert
    expect(response.body).toEqual({ status: 'SUCCESS' });
    expect(seen).toEqual([{ id: 'orders/3/41', topic: 'orders', data: { orderId: 'o-1', total: 12.5 }, attempt: 1 }]);
  });

  it('when no subscription has the topic, then 404 is answered (daprd drops it to the dead-letter topic)', async () => {
    // Arrange
    const subscriber = new DaprSubscriber(logger);

    // Act
    const response = await deliver(subscriber, 'unknown', envelope('ce-3', {}));

    // Assert
    expect(response.status).toBe(404);
  });
});

describe('readDelivery', () => {
  it('when a rawPayload subscription wraps the message in data_base64, then the payload is decoded from it', () => {
    // Arrange
    const payload = Buffer.from(JSON.stringify({ raw: true })).toString('base64');

    // Act
    const delivery = readDelivery({ ...envelope('wrapper', undefined), data_base64: payload }, {});

    // Assert
    expect(delivery.data).toEqual({ raw: true });
    expect(delivery.id).toBe('wrapper');
  });

  it('when data_base64 holds a CloudEvent, then the inner envelope is the message', () => {
    // Arrange
    const inner = Buffer.from(JSON.stringify(envelope('inner-id', { n: 2 }))).toString('base64');

    // Act
    const delivery = readDelivery({ ...envelope('wrapper', undefined), data_base64: inner }, {});

    // Assert
    expect(delivery).toMatchObject({ id: 'inner-id', data: { n: 2 }, cloudEvent: { id: 'inner-id' } });
  });

  it('when the envelope carries a requestid extension and no header is set, then that is the request id', () => {
    // Act
    const delivery = readDelivery({ ...envelope('ce-4', {}), requestid: 'from-envelope' }, {});

    // Assert
    expect(delivery.requestId).toBe('from-envelope');
  });
});
