import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { z } from 'zod';

/**
 * How a direct Kafka client (kafkajs, outside Dapr) reaches the brokers: the environment the chart sets from
 * dapr.pubsub.kafka for every topics[].kafkaConsumers entry (the decliner, the gateway's live feed).
 */
export const kafkaConnectionFields = {
  /** TLS to the brokers (`true` with a SASL mechanism in production). */
  KAFKA_TLS: z.enum(['true', 'false']).default('false'),
  /** A PEM file with the CA the brokers' certificates chain to (e.g. Strimzi's cluster CA); default: the system's. */
  KAFKA_CA_FILE: z.string().min(1).optional(),
  KAFKA_SASL_MECHANISM: z.enum(['none', 'plain', 'scram-sha-256', 'scram-sha-512']).default('none'),
  KAFKA_SASL_USERNAME: z.string().optional(),
  KAFKA_SASL_PASSWORD: z.string().optional(),
};

const brokerList = (value: string): string[] =>
  value
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);

/** KAFKA_BROKERS where a process cannot run without Kafka: comma-separated host:port, at least one. */
export const requiredKafkaBrokersField = z
  .string({ required_error: 'is required (comma-separated host:port, e.g. 127.0.0.1:9092)' })
  .min(1, 'must name at least one broker')
  .transform(brokerList);

/** KAFKA_BROKERS where Kafka is optional: comma-separated host:port; unset, no brokers. */
export const optionalKafkaBrokersField = z
  .string()
  .optional()
  .transform((value) => (value ? brokerList(value) : []));

export interface KafkaConnectionEnv {
  KAFKA_TLS: 'true' | 'false';
  KAFKA_CA_FILE?: string;
  KAFKA_SASL_MECHANISM: 'none' | 'plain' | 'scram-sha-256' | 'scram-sha-512';
  KAFKA_SASL_USERNAME?: string;
  KAFKA_SASL_PASSWORD?: string;
}

export interface KafkaSasl {
  mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  username: string;
  password: string;
}

export interface KafkaConnection {
  tls: boolean;
  /** The PEM file of the CA to trust for TLS, instead of the system's. */
  caFile?: string;
  /** Absent: no authentication. The password is never logged. */
  sasl?: KafkaSasl;
}

/** For `.superRefine` on a config schema with kafkaConnectionFields: a CA needs TLS, SASL needs its credentials. */
export const requireKafkaConnection = (config: KafkaConnectionEnv, context: z.RefinementCtx): void => {
  const problem = (path: string, message: string) =>
    context.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
  if (config.KAFKA_CA_FILE !== undefined && config.KAFKA_TLS !== 'true') {
    problem('KAFKA_CA_FILE', 'needs KAFKA_TLS=true');
  }
  if (config.KAFKA_SASL_MECHANISM !== 'none' && (!config.KAFKA_SASL_USERNAME || !config.KAFKA_SASL_PASSWORD)) {
    problem('KAFKA_SASL_USERNAME', 'and KAFKA_SASL_PASSWORD are required with a SASL mechanism');
  }
};

export const kafkaConnectionOf = (env: KafkaConnectionEnv): KafkaConnection => ({
  tls: env.KAFKA_TLS === 'true',
  caFile: env.KAFKA_CA_FILE,
  sasl:
    env.KAFKA_SASL_MECHANISM === 'none'
      ? undefined
      : {
          mechanism: env.KAFKA_SASL_MECHANISM,
          username: env.KAFKA_SASL_USERNAME ?? '',
          password: env.KAFKA_SASL_PASSWORD ?? '',
        },
});

/** kafkajs's `ssl` setting: off, on with the system's CAs, or on trusting the CA in `caFile`. */
export const kafkaTls = (tls: boolean, caFile?: string): boolean | ConnectionOptions => {
  if (!tls) return false;
  return caFile === undefined ? true : { ca: [readFileSync(caFile, 'utf8')] };
};
