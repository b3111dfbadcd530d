import type { IHeaders, KafkaMessage, Message } from 'kafkajs';

/** Why a message went to the dead-letter topic. */
export type DeadLetterReason = 'malformed' | 'invalid' | 'unknown' | 'exhausted';

/**
 * Headers the decliner adds to a dead letter. The original key, value and headers are kept as they
 * were, so a replay writes back exactly what the producer wrote.
 */
export const DeadLetterHeaders = {
  reason: 'x-dlq-reason',
  error: 'x-dlq-error',
  attempts: 'x-dlq-attempts',
  originalTopic: 'x-dlq-original-topic',
  originalPartition: 'x-dlq-original-partition',
  originalOffset: 'x-dlq-original-offset',
  failedAt: 'x-dlq-failed-at',
  /** Only on the marker a replay appends: `<partition>:<offset>` of the dead letter it moved back. */
  replayed: 'x-dlq-replayed',
} as const;

/** On a message a replay wrote back: `<dead-letter topic>/<partition>/<offset>` it came from. */
export const REPLAYED_FROM_HEADER = 'x-replayed-from';

const DLQ_PREFIX = 'x-dlq-';

export interface DeadLetterOrigin {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

export interface DeadLetterCause {
  reason: DeadLetterReason;
  error: string;
  attempts: number;
  at: Date;
}

/** Header values are strings or buffers; kafkajs gives buffers back. */
export const headerText = (headers: IHeaders | undefined, name: string): string | undefined => {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  return typeof first === 'string' ? first : first.toString('utf8');
};

/** The headers a producer set, without any the dead-letter path added (a message may be replayed and fail again). */
export const producerHeaders = (headers: IHeaders | undefined): IHeaders =>
  Object.fromEntries(
    Object.entries(headers ?? {}).filter(
      ([name, value]) => value !== undefined && !name.startsWith(DLQ_PREFIX) && name !== REPLAYED_FROM_HEADER,
    ),
  ) as IHeaders;

/** Header values must stay small: an error text is cut, never the message. */
const MAX_ERROR_LENGTH = 1_000;

export const deadLetterOf = ({ topic, partition, message }: DeadLetterOrigin, cause: DeadLetterCause): Message => ({
  key: message.key,
  value: message.value,
  headers: {
    ...producerHeaders(message.headers),
    [DeadLetterHeaders.reason]: cause.reason,
    [DeadLetterHeaders.error]: cause.error.slice(0, MAX_ERROR_LENGTH),
    [DeadLetterHeaders.attempts]: String(cause.attempts),
    [DeadLetterHeaders.originalTopic]: topic,
    [DeadLetterHeaders.originalPartition]: String(partition),
    [DeadLetterHeaders.originalOffset]: message.offset,
    [DeadLetterHeaders.failedAt]: cause.at.toISOString(),
  },
});
