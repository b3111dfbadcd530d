import { loadConfig, portSchema, z } from '@sitter/platform';
import { requireDaprPortWithDapr, runtimeConfigFields } from '@sitter/dapr-runtime/src/runtime-config';
import { authConfigSchema, requireAuthKeySource } from './auth';
import { protectionConfigSchema } from './protection';

export const gatewayConfigFields = authConfigSchema.merge(protectionConfigSchema).merge(
  z.object({
    PORT: portSchema(4000),
    LOG_LEVEL: z.enum(['error', 'warn', 'info', 'debug', 'silent']).default('info'),
    ...runtimeConfigFields,
  }),
);

export const gatewayConfigSchema = requireAuthKeySource(gatewayConfigFields).superRefine(requireDaprPortWithDapr);

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export const loadGatewayConfig = (env: NodeJS.ProcessEnv = process.env): GatewayConfig =>
  loadConfig('gateway', gatewayConfigSchema, env);
