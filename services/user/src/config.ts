import { loadConfig, portSchema, z } from '@sitter/platform';

const schema = z.object({
  PORT: portSchema(3001),
  DATA_DIR: z.string().min(1).default('./.data'),
  LOG_LEVEL: z.enum(['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly', 'silent']).default('info'),
  SITTER_RUNTIME: z.enum(['embedded']).default('embedded'),
});

export type UserConfig = z.infer<typeof schema>;

export const loadUserConfig = (env: NodeJS.ProcessEnv = process.env): UserConfig => loadConfig('user', schema, env);
