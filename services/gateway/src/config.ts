import {
  kafkaConnectionFields,
  loadConfig,
  optionalKafkaBrokersField,
  processConfigFields,
  requireDaprPortWithDapr,
  requireKafkaConnection,
  runtimeConfigFields,
  z,
} from '@sitter/platform';
import { authConfigSchema, rateLimitConfigSchema, requireAuthKeySource, requireSharedLimitsWithDapr } from './auth';
import { protectionConfigSchema } from './protection';

export const gatewayConfigFields = authConfigSchema
  .merge(protectionConfigSchema)
  .merge(rateLimitConfigSchema)
  .merge(
    z.object({
      ...processConfigFields(4000),
      ...runtimeConfigFields,
      /**
       * With SITTER_RUNTIME=dapr: the Kafka brokers (comma-separated) whose domain.events topic feeds subscriptions;
       * unset, subscriptions answer SERVICE_UNAVAILABLE.
       */
      KAFKA_BROKERS: optionalKafkaBrokersField,
      /** How the live feed reaches those brokers: TLS, its CA and SASL, as for every direct Kafka consumer. */
      ...kafkaConnectionFields,
      /** Events one subscription holds for a client that has not read them yet; over it, the subscription closes. */
      LIVE_BUFFER_SIZE: z.coerce.number().int().min(1).max(10_000).default(100),
      /**
       * Open subscription connections (WebSockets and SSE subscriptions together) per gateway process, and per user
       * (across replicas when the rate limits' Redis is set; see LiveAdmission).
       */
      LIVE_MAX_CONNECTIONS: z.coerce.number().int().min(1).default(10_000),
      LIVE_MAX_CONNECTIONS_PER_USER: z.coerce.number().int().min(1).default(20),
    }),
  );

export const gatewayConfigSchema = requireAuthKeySource(gatewayConfigFields)
  .superRefine(requireDaprPortWithDapr)
  .superRefine(requireKafkaConnection)
  .superRefine(requireSharedLimitsWithDapr);

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export const loadGatewayConfig = (env: NodeJS.ProcessEnv = process.env): GatewayConfig =>
  loadConfig('gateway', gatewayConfigSchema, env);
