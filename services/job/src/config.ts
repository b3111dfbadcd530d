import { loadConfig, portSchema, z } from '@sitter/platform';
import { requireDaprPortWithDapr, runtimeConfigFields } from '@sitter/dapr-runtime/src/runtime-config';

const configSchema = z
  .object({
    PORT: portSchema(3002),
    DATA_DIR: z.string().min(1).default('./.data'),
    LOG_LEVEL: z.enum(['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly', 'silent']).default('info'),
    ...runtimeConfigFields,
  })
  .superRefine(requireDaprPortWithDapr);

export type JobServiceConfig = z.infer<typeof configSchema>;

export const loadJobConfig = (env: NodeJS.ProcessEnv = process.env): JobServiceConfig =>
  loadConfig('job', configSchema, env);
