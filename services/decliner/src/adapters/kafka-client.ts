import { Kafka, logLevel, type LogEntry, type Producer, type SASLOptions } from 'kafkajs';
import { kafkaTls, type KafkaSasl, type Logger } from '@sitter/platform';
import { saramaCompatiblePartitioner } from './sarama-partitioner';

export interface KafkaClientOptions {
  brokers: readonly string[];
  clientId: string;
  logger: Logger;
  tls?: boolean;
  /** A PEM file with the CA to trust instead of the system's (read once, when the client is created). */
  caFile?: string;
  sasl?: KafkaSasl;
}

const WINSTON_LEVEL: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** A kafkajs client whose own log lines (warnings and up) go to the service's JSON logger. */
export const createKafkaClient = (options: KafkaClientOptions): Kafka =>
  new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    ssl: kafkaTls(options.tls ?? false, options.caFile),
    // kafkajs types the mechanisms as a union of literal-keyed objects; this is one of them.
    sasl: options.sasl as SASLOptions | undefined,
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ namespace, level, log }: LogEntry) => {
        const { message, timestamp: _timestamp, ...extra } = log;
        options.logger.log(WINSTON_LEVEL[level] ?? 'info', `kafkajs: ${message}`, {
          kafkajs: namespace,
          ...extra,
        });
      },
  });

/** Producers write keys where Dapr's Kafka pub/sub would, so a job's messages share a partition whoever writes them. */
export const createProducer = (kafka: Kafka, options: { maxInFlightRequests?: number } = {}): Producer =>
  kafka.producer({
    createPartitioner: saramaCompatiblePartitioner,
    allowAutoTopicCreation: false,
    maxInFlightRequests: options.maxInFlightRequests,
  });
