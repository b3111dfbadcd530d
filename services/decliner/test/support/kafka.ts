import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type IHeaders, type KafkaMessage } from 'kafkajs';
import type { DeclineRequest } from '@sitter/contracts';
import { createTopics } from '@sitter/infra-harness';
import { saramaCompatiblePartitioner } from '../../src';
import { unique } from './wait';

export const testKafka = (brokers: string): Kafka =>
  new Kafka({ clientId: unique('decliner-test'), brokers: [brokers], logLevel: logLevel.NOTHING });

export interface TestTopics {
  topic: string;
  deadLetterTopic: string;
  groupId: string;
}

/** A fresh topic, its dead-letter topic and a consumer group, for one test. */
export const freshTopics = async (brokers: string, partitions = 3): Promise<TestTopics> => {
  const topic = unique('declines');
  const deadLetterTopic = `${topic}.dlq`;
  await createTopics(brokers, [
    { name: topic, partitions },
    { name: deadLetterTopic, partitions: 1 },
  ]);
  return { topic, deadLetterTopic, groupId: unique('decliner') };
};

export const declineOf = (
  jobId: string,
  applicationId: string,
  overrides: Partial<DeclineRequest> & Record<string, unknown> = {},
): DeclineRequest => ({
  version: 1,
  applicationId,
  jobId,
  reason: 'another nanny was booked',
  source: 'booking',
  requestedAt: '2031-06-30T18:00:00.000Z',
  ...overrides,
});

export interface Outgoing {
  key: string;
  /** An object is sent as JSON; a string as it is. */
  value: unknown;
  headers?: IHeaders;
}

/** Produces in the given order, keyed as the platform keys them (Dapr's partitioner). */
export const produce = async (kafka: Kafka, topic: string, messages: readonly Outgoing[]): Promise<void> => {
  const producer = kafka.producer({ createPartitioner: saramaCompatiblePartitioner, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await producer.send({
      topic,
      messages: messages.map(({ key, value, headers }) => ({
        key,
        value: typeof value === 'string' ? value : JSON.stringify(value),
        headers: { 'x-request-id': randomUUID(), ...headers },
      })),
    });
  } finally {
    await producer.disconnect();
  }
};

export interface Received {
  partition: number;
  message: KafkaMessage;
}

/** Every message of the topic as of now (a throw-away group reads it to the end). */
export const readAll = async (kafka: Kafka, topic: string): Promise<Received[]> => {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<number, number>();
  try {
    for (const { partition, offset, low } of await admin.fetchTopicOffsets(topic)) {
      if (Number(offset) > Number(low)) ends.set(partition, Number(offset));
    }
  } finally {
    await admin.disconnect();
  }
  if (ends.size === 0) return [];
  const received: Received[] = [];
  const consumer = kafka.consumer({ groupId: unique('reader'), maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve) => {
      const left = new Set(ends.keys());
      void consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          const end = ends.get(partition) ?? 0;
          if (Number(message.offset) >= end) return;
          received.push({ partition, message });
          if (Number(message.offset) === end - 1) left.delete(partition);
          if (left.size === 0) resolve();
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return received;
};

export const header = (message: KafkaMessage, name: string): string | undefined => {
  const value = message.headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
};

/** The group's committed offsets on the topic, by partition (-1: none). */
export const committedOffsets = async (kafka: Kafka, groupId: string, topic: string): Promise<Map<number, number>> => {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map(entry.partitions.map(({ partition, offset }) => [partition, Number(offset)]));
  } finally {
    await admin.disconnect();
  }
};

export const groupState = async (kafka: Kafka, groupId: string): Promise<{ state: string; members: number }> => {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([groupId]);
    return { state: groups[0].state, members: groups[0].members.length };
  } finally {
    await admin.disconnect();
  }
};

/** Settings that keep the real-broker tests quick: short backoffs and a short session. */
export const testEnv = (brokers: string, topics: TestTopics, overrides: Record<string, string> = {}) => ({
  KAFKA_BROKERS: brokers,
  KAFKA_GROUP_ID: topics.groupId,
  KAFKA_CLIENT_ID: unique('decliner'),
  DECLINES_TOPIC: topics.topic,
  DECLINES_DLQ_TOPIC: topics.deadLetterTopic,
  DECLINE_MAX_ATTEMPTS: '5',
  DECLINE_BACKOFF_INITIAL_MS: '20',
  DECLINE_BACKOFF_MAX_MS: '100',
  KAFKA_SESSION_TIMEOUT_MS: '6000',
  KAFKA_HEARTBEAT_INTERVAL_MS: '500',
  KAFKA_REBALANCE_TIMEOUT_MS: '10000',
  KAFKA_MAX_WAIT_MS: '200',
  INVOKE_TIMEOUT_MS: '4000',
  LOG_LEVEL: 'debug',
  ...overrides,
});
