import { loadConfig, portSchema, z } from '@sitter/platform';
import { requireDaprPortWithDapr, runtimeConfigFields } from '@sitter/dapr-runtime/src/runtime-config';
import { authConfigSchema, requireAuthKeySource } from './auth';

export const gatewayConfigFields = authConfigSchema.merge(
  z.object({
    PORT: portSchema(4000),
    LOG_LEVEL: z.enum(['error', 'warn', 'info', 'debug', 'silent']).default('info'),
    GRAPHIQL: z
      .enum(['true', 'false'])
      .default('true')
      .transform((value) => value === 'true'),
    ...runtimeConfigFields,
  }),
);

export const gatewayConfigSchema = requireAuthKeySource(gatewayConfigFields).superRefine(requireDaprPortWithDapr);

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export const loadGatewayConfig = (env: NodeJS.ProcessEnv = process.env): GatewayConfig =>
  loadConfig('gateway', gatewayConfigSchema, env);
