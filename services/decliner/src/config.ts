import { Topics } from '@sitter/contracts';
import { defaultDeadLetterTopic } from '@sitter/ports';
import {
  kafkaConnectionFields,
  kafkaConnectionOf,
  loadConfig,
  portSchema,
  processConfigFields,
  requireKafkaConnection,
  requiredKafkaBrokersField,
  z,
  type KafkaConnection,
} from '@sitter/platform';
import { retryBudgetMs, type RetryPolicy } from './domain';
import type { KafkaConsumerSettings } from './adapters/kafka-consumer';

const milliseconds = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

const configSchema = z
  .object({
    ...processConfigFields(3004),
    /** Comma-separated host:port list. */
    KAFKA_BROKERS: requiredKafkaBrokersField,
    KAFKA_CLIENT_ID: z.string().min(1).default('decliner'),
    ...kafkaConnectionFields,
    KAFKA_GROUP_ID: z.string().min(1).default('decliner'),
    DECLINES_TOPIC: z.string().min(1).default(Topics.applicationDeclines),
    /** Defaults to `<DECLINES_TOPIC>.dlq`. */
    DECLINES_DLQ_TOPIC: z.string().min(1).optional(),
    DECLINE_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
    DECLINE_BACKOFF_INITIAL_MS: milliseconds(500),
    DECLINE_BACKOFF_MAX_MS: milliseconds(8_000),
    KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6_000).default(30_000),
    KAFKA_HEARTBEAT_INTERVAL_MS: milliseconds(3_000),
    KAFKA_REBALANCE_TIMEOUT_MS: milliseconds(60_000),
    KAFKA_PARTITIONS_CONCURRENTLY: z.coerce.number().int().min(1).max(64).default(3),
    KAFKA_MAX_WAIT_MS: milliseconds(1_000),
    /** Longest one call to the job service may take. */
    INVOKE_TIMEOUT_MS: milliseconds(10_000),
    /** The sidecar through which the job service is invoked. */
    DAPR_HTTP_PORT: portSchema(3500),
    /** Sent as `dapr-api-token` to the sidecar. */
    DAPR_API_TOKEN: z.string().min(1).optional(),
  })
  .superRefine(requireKafkaConnection)
  .superRefine((config, context) => {
    const problem = (path: string, message: string) =>
      context.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
    if (config.KAFKA_HEARTBEAT_INTERVAL_MS * 3 > config.KAFKA_SESSION_TIMEOUT_MS) {
      problem('KAFKA_HEARTBEAT_INTERVAL_MS', 'must be at most a third of KAFKA_SESSION_TIMEOUT_MS');
    }
    // Heartbeats stop only while a call to the job service is under way: it must end well within the session.
    if (config.INVOKE_TIMEOUT_MS + config.KAFKA_HEARTBEAT_INTERVAL_MS >= config.KAFKA_SESSION_TIMEOUT_MS) {
      problem('INVOKE_TIMEOUT_MS', 'plus one heartbeat interval must stay below KAFKA_SESSION_TIMEOUT_MS');
    }
    // A rebalance is noticed at the next heartbeat, at most one call later; re-joining must fit after that.
    if (config.INVOKE_TIMEOUT_MS + config.KAFKA_HEARTBEAT_INTERVAL_MS >= config.KAFKA_REBALANCE_TIMEOUT_MS) {
      problem('KAFKA_REBALANCE_TIMEOUT_MS', 'must exceed INVOKE_TIMEOUT_MS plus one heartbeat interval');
    }
    if (config.DECLINE_BACKOFF_MAX_MS < config.DECLINE_BACKOFF_INITIAL_MS) {
      problem('DECLINE_BACKOFF_MAX_MS', 'must not be below DECLINE_BACKOFF_INITIAL_MS');
    }
  });

export type DeclinerEnv = z.infer<typeof configSchema>;

export interface DeclinerConfig extends KafkaConnection {
  port: number;
  logLevel: DeclinerEnv['LOG_LEVEL'];
  brokers: string[];
  clientId: string;
  /** The sidecar through which the job service is invoked, and its API token when it requires one. */
  sidecar: { daprHttpPort: number; apiToken?: string };
  invokeTimeoutMs: number;
  consumer: KafkaConsumerSettings;
}

export const loadDeclinerConfig = (env: NodeJS.ProcessEnv = process.env): DeclinerConfig => {
  const raw = loadConfig('decliner', configSchema, env);
  const retry: RetryPolicy = {
    maxAttempts: raw.DECLINE_MAX_ATTEMPTS,
    initialBackoffMs: raw.DECLINE_BACKOFF_INITIAL_MS,
    maxBackoffMs: raw.DECLINE_BACKOFF_MAX_MS,
  };
  return {
    port: raw.PORT,
    logLevel: raw.LOG_LEVEL,
    brokers: raw.KAFKA_BROKERS,
    clientId: raw.KAFKA_CLIENT_ID,
    ...kafkaConnectionOf(raw),
    sidecar: { daprHttpPort: raw.DAPR_HTTP_PORT, apiToken: raw.DAPR_API_TOKEN },
    invokeTimeoutMs: raw.INVOKE_TIMEOUT_MS,
    consumer: {
      groupId: raw.KAFKA_GROUP_ID,
      topic: raw.DECLINES_TOPIC,
      deadLetterTopic: raw.DECLINES_DLQ_TOPIC ?? defaultDeadLetterTopic(raw.DECLINES_TOPIC),
      retry,
      sessionTimeoutMs: raw.KAFKA_SESSION_TIMEOUT_MS,
      heartbeatIntervalMs: raw.KAFKA_HEARTBEAT_INTERVAL_MS,
      rebalanceTimeoutMs: raw.KAFKA_REBALANCE_TIMEOUT_MS,
      partitionsConsumedConcurrently: raw.KAFKA_PARTITIONS_CONCURRENTLY,
      maxWaitTimeMs: raw.KAFKA_MAX_WAIT_MS,
    },
  };
};

/** Worst case a message spends waiting between attempts (the job calls come on top). */
export const retryWaitBudgetMs = (config: DeclinerConfig): number => retryBudgetMs(config.consumer.retry);
