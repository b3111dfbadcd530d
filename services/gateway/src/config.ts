import { loadConfig, portSchema, z } from '@sitter/platform';
import { authConfigSchema, requireAuthKeySource } from './auth';

export const gatewayConfigFields = authConfigSchema.merge(
  z.object({
    PORT: portSchema(4000),
    LOG_LEVEL: z.enum(['error', 'warn', 'info', 'debug', 'silent']).default('info'),
    GRAPHIQL: z
      .enum(['true', 'false'])
      .default('true')
      .transform((value) => value === 'true'),
    SITTER_RUNTIME: z.enum(['embedded']).default('embedded'),
  }),
);

export const gatewayConfigSchema = requireAuthKeySource(gatewayConfigFields);

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export const loadGatewayConfig = (env: NodeJS.ProcessEnv = process.env): GatewayConfig =>
  loadConfig('gateway', gatewayConfigSchema, env);
