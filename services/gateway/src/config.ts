import {
  loadConfig,
  logLevelSchema,
  portSchema,
  requireDaprPortWithDapr,
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
      PORT: portSchema(4000),
      LOG_LEVEL: logLevelSchema,
      ...runtimeConfigFields,
    }),
  );

export const gatewayConfigSchema = requireAuthKeySource(gatewayConfigFields)
  .superRefine(requireDaprPortWithDapr)
  .superRefine(requireSharedLimitsWithDapr);

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export const loadGatewayConfig = (env: NodeJS.ProcessEnv = process.env): GatewayConfig =>
  loadConfig('gateway', gatewayConfigSchema, env);
