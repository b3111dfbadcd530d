import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { DOMAIN_EVENTS_TOPIC } from '@sitter/contracts';
import type { DomainEvent } from '@sitter/ports';
import { kafkaTls, type KafkaConnection, type Logger } from '@sitter/platform';
import type { LiveEventFeed } from './event-feed';

/**
 * Feeds this replica from the domain events topic on Kafka (where the services' sidecars publish them). Every
 * replica joins with a consumer group of its own (`<groupPrefix>-<uuid>`), so each one reads every event once; a
 * replica starts at the newest offset, since a live subscription only wants what happens from now on. Resolves
 * once the consumer has joined its group and been given the topic's partitions.
 */
export const feedFromKafka = async (options: {
  brokers: readonly string[];
  /** TLS and SASL to the brokers; none by default (a development Kafka). */
  connection?: KafkaConnection;
  feed: LiveEventFeed;
  logger: Logger;
  groupPrefix?: string;
}): Promise<{ groupId: string; stop(): Promise<void> }> => {
  const groupId = `${options.groupPrefix ?? 'gateway-live'}-${randomUUID()}`;
  const kafka = new Kafka({
    clientId: 'gateway-live',
    brokers: [...options.brokers],
    ssl: kafkaTls(options.connection?.tls ?? false, options.connection?.caFile),
    // kafkajs types the mechanisms as a union of literal-keyed objects; this is one of them.
    sasl: options.connection?.sasl as SASLOptions | undefined,
    logLevel: logLevel.WARN,
  });
  const consumer = kafka.consumer({ groupId });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.connect();
  await consumer.subscribe({ topic: DOMAIN_EVENTS_TOPIC, fromBeginning: false });
  await consumer.run({
    eachMessage: async ({ message }) => {
      if (!message.value) return;
      try {
        options.feed.deliver(JSON.parse(message.value.toString('utf8')) as DomainEvent);
      } catch (error) {
        options.logger.warn('a domain event on Kafka is not JSON; skipped', { reason: (error as Error).message });
      }
    },
  });
  await joined;
  return { groupId, stop: () => consumer.disconnect() };
};
