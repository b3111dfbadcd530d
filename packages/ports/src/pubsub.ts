/**
 * Topic-based messaging with at-least-once delivery, modelled on Dapr pub/sub.
 *
 * A handler that throws asks for redelivery; after the subscription's attempts are used
 * up the message goes to its dead-letter topic. Handlers must therefore be idempotent.
 */
export interface PublishOptions {
  /** Messages with the same key keep their order (Kafka partition key). */
  partitionKey?: string;
  /** Publish the bare JSON payload instead of a CloudEvents envelope. */
  rawPayload?: boolean;
}

export interface Publisher {
  publish<T>(topic: string, data: T, options?: PublishOptions): Promise<void>;
}

export interface DeliveredMessage<T> {
  /** Stable across redeliveries of the same message. */
  id: string;
  topic: string;
  data: T;
  /** 1 on first delivery, incremented on each redelivery. */
  attempt: number;
  /** The CloudEvents envelope's attributes; absent for messages published with `rawPayload`. */
  cloudEvent?: CloudEventAttributes;
}

export interface CloudEventAttributes {
  specversion: '1.0';
  id: string;
  /** The publishing app id. */
  source: string;
  type: string;
  time: string;
  datacontenttype: string;
}

export type MessageHandler<T> = (message: DeliveredMessage<T>) => Promise<void>;

export interface SubscribeOptions {
  /** Where a message goes once its attempts are used up. Defaults to `<topic>.dlq`. */
  deadLetterTopic?: string;
}

export interface Subscriber {
  subscribe<T>(topic: string, handler: MessageHandler<T>, options?: SubscribeOptions): void;
}

export const defaultDeadLetterTopic = (topic: string): string => `${topic}.dlq`;
