import { z } from 'zod';

/**
 * Parses environment variables with a schema and fails fast with every problem named,
 * so a misconfigured service stops at start-up instead of misbehaving later.
 */
export const loadConfig = <S extends z.ZodTypeAny>(
  service: string,
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> => {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`);
  throw new Error(`invalid configuration for ${service}:\n${problems.join('\n')}`);
};

/** A TCP port from the environment: 0 (any free port) to 65535. */
export const portSchema = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

export { z };

/** winston's npm levels, and `silent` for none at all. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly', 'silent'] as const;

export const logLevelSchema = z.enum(LOG_LEVELS).default('info');
