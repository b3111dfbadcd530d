import { loadConfig, requireDaprPortWithDapr, serviceConfigFields, z } from '@sitter/platform';

const configSchema = z.object(serviceConfigFields(3002)).superRefine(requireDaprPortWithDapr);

export type JobServiceConfig = z.infer<typeof configSchema>;

export const loadJobConfig = (env: NodeJS.ProcessEnv = process.env): JobServiceConfig =>
  loadConfig('job', configSchema, env);
