import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage, Message } from 'kafkajs';
import { DeadLetterHeaders, headerText, producerHeaders, REPLAYED_FROM_HEADER } from './dead-letters';
import { createProducer } from './kafka-client';

export interface ReplayFilter {
  applicationId?: string;
  jobId?: string;
  /** The dead-letter reason: malformed, invalid, unknown or exhausted. */
  reason?: string;
}

export interface ReplayCounts {
  /** Dead letters in the topic (markers of earlier replays not counted). */
  deadLetters: number;
  /** Moved back by an earlier replay: never moved twice. */
  movedBefore: number;
  /** Not moved before, and matching the filter. */
  matched: number;
  /** Written back to the main topic by this run (0 on a dry run). */
  moved: number;
  /** Still waiting in the dead-letter topic after this run. */
  left: number;
}

export interface ReplayOptions {
  kafka: Kafka;
  deadLetterTopic: string;
  topic: string;
  filter?: ReplayFilter;
  dryRun?: boolean;
}

interface Stored {
  partition: number;
  message: KafkaMessage;
}

const READ_TIMEOUT_MS = 60_000;

const positionOf = ({ partition, message }: Stored): string => `${partition}:${message.offset}`;

const payloadOf = (message: KafkaMessage): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(message.value?.toString('utf8') ?? '');
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

const matches = (message: KafkaMessage, filter: ReplayFilter): boolean => {
  if (filter.reason !== undefined && headerText(message.headers, DeadLetterHeaders.reason) !== filter.reason) {
    return false;
  }
  if (filter.applicationId === undefined && filter.jobId === undefined) return true;
  const payload = payloadOf(message);
  if (filter.applicationId !== undefined && payload?.applicationId !== filter.applicationId) return false;
  if (filter.jobId !== undefined && payload?.jobId !== filter.jobId) return false;
  return true;
};

/**
 * Moves dead letters back to the main topic, all of them or those matching the filter, in their
 * dead-letter order and with their original key, value and producer headers. Kafka cannot delete
 * one record, so each move also appends a marker to the dead-letter topic (no value, header
 * `x-dlq-replayed: <partition>:<offset>`): a later replay skips what was already moved, and
 * the counts say what is left. A message that fails again is dead-lettered anew and can be moved again.
 */
export const replayDeadLetters = async (options: ReplayOptions): Promise<ReplayCounts> => {
  const filter = options.filter ?? {};
  const stored = await readToEnd(options.kafka, options.deadLetterTopic);
  const markers = stored.filter(({ message }) => headerText(message.headers, DeadLetterHeaders.replayed) !== undefined);
  const movedAlready = new Set(markers.map(({ message }) => headerText(message.headers, DeadLetterHeaders.replayed)));
  const deadLetters = stored.filter((entry) => !markers.includes(entry));
  const waiting = deadLetters.filter((entry) => !movedAlready.has(positionOf(entry)));
  const chosen = waiting.filter(({ message }) => matches(message, filter));
  if (!options.dryRun && chosen.length > 0) await move(options, chosen);
  const moved = options.dryRun ? 0 : chosen.length;
  return {
    deadLetters: deadLetters.length,
    movedBefore: deadLetters.length - waiting.length,
    matched: chosen.length,
    moved,
    left: waiting.length - moved,
  };
};

const move = async (options: ReplayOptions, chosen: readonly Stored[]): Promise<void> => {
  // One request in flight keeps the order of a job's messages as they were in the dead-letter topic.
  const producer = createProducer(options.kafka, { maxInFlightRequests: 1 });
  await producer.connect();
  try {
    const replays: Message[] = chosen.map(({ partition, message }) => ({
      key: message.key,
      value: message.value,
      headers: {
        ...producerHeaders(message.headers),
        [REPLAYED_FROM_HEADER]: `${options.deadLetterTopic}/${partition}/${message.offset}`,
      },
    }));
    await producer.send({ topic: options.topic, messages: replays });
    // Markers only once the messages are back: a crash in between means a second move, which declining absorbs.
    const markers: Message[] = chosen.map((entry) => ({
      key: entry.message.key,
      value: null,
      headers: { [DeadLetterHeaders.replayed]: positionOf(entry) },
    }));
    await producer.send({ topic: options.deadLetterTopic, messages: markers });
  } finally {
    await producer.disconnect();
  }
};

/** Every record in the topic up to its end as of now, with a throw-away consumer group. */
const readToEnd = async (kafka: Kafka, topic: string): Promise<Stored[]> => {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `decliner-replay-${randomUUID()}`;
  try {
    const ends = new Map<number, bigint>();
    for (const { partition, offset, low } of await admin.fetchTopicOffsets(topic)) {
      if (BigInt(offset) > BigInt(low)) ends.set(partition, BigInt(offset));
    }
    if (ends.size === 0) return [];
    const stored = await consumeUntil(kafka, groupId, topic, ends);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    return stored;
  } finally {
    await admin.disconnect();
  }
};

const consumeUntil = async (
  kafka: Kafka,
  groupId: string,
  topic: string,
  ends: Map<number, bigint>,
): Promise<Stored[]> => {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 500, allowAutoTopicCreation: false });
  const stored: Stored[] = [];
  const remaining = new Set(ends.keys());
  await consumer.connect();
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      // Guards against an end that is never reached as a message (e.g. a transaction marker).
      timer = setTimeout(
        () => reject(new Error(`could not read ${topic} to its end within ${READ_TIMEOUT_MS / 1000}s`)),
        READ_TIMEOUT_MS,
      );
      consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
      consumer
        .subscribe({ topics: [topic], fromBeginning: true })
        .then(() =>
          consumer.run({
            autoCommit: false,
            eachMessage: async ({ partition, message }) => {
              const end = ends.get(partition);
              if (end === undefined || BigInt(message.offset) >= end) return;
              stored.push({ partition, message });
              if (BigInt(message.offset) >= end - 1n) remaining.delete(partition);
              if (remaining.size === 0) resolve();
            },
          }),
        )
        .catch(reject);
    });
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return stored.sort(
    (a, b) => a.partition - b.partition || Number(BigInt(a.message.offset) - BigInt(b.message.offset)),
  );
};
