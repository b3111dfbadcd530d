import { loadConfig, portSchema, z } from '@sitter/platform';
import { requireDaprPortWithDapr, runtimeConfigFields } from '@sitter/dapr-runtime/src/runtime-config';

const schema = z
  .object({
    PORT: portSchema(3001),
    DATA_DIR: z.string().min(1).default('./.data'),
    LOG_LEVEL: z.enum(['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly', 'silent']).default('info'),
    ...runtimeConfigFields,
  })
  .superRefine(requireDaprPortWithDapr);

export type UserConfig = z.infer<typeof schema>;

export const loadUserConfig = (env: NodeJS.ProcessEnv = process.env): UserConfig => loadConfig('user', schema, env);
