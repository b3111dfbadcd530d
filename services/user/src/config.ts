import { loadConfig, requireDaprPortWithDapr, serviceConfigFields, z } from '@sitter/platform';

const schema = z.object(serviceConfigFields(3001)).superRefine(requireDaprPortWithDapr);

export type UserConfig = z.infer<typeof schema>;

export const loadUserConfig = (env: NodeJS.ProcessEnv = process.env): UserConfig => loadConfig('user', schema, env);
