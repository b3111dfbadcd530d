import { z } from 'zod';

/** Unset and empty mean the same: an env var declared blank in a manifest is not configured. */
const blankAsUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/**
 * Where the API-key limits are counted. Unset: in this process's memory (one gateway process, `npm start`). Set:
 * in that Redis, shared by every gateway replica; required on Dapr (SITTER_RUNTIME=dapr), where the gateway may
 * run as several replicas.
 */
export const rateLimitConfigSchema = z.object({
  /** host:port of the Redis that counts the limits (dev:dapr and the chart: the state store's Redis). */
  RATE_LIMIT_REDIS_HOST: z.preprocess(
    blankAsUndefined,
    z
      .string()
      .regex(/^[^:\s]+(:\d+)?$/)
      .optional(),
  ),
  RATE_LIMIT_REDIS_PASSWORD: z.preprocess(blankAsUndefined, z.string().optional()),
  RATE_LIMIT_REDIS_TLS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  /** How long a check may wait for Redis before the request is refused with SERVICE_UNAVAILABLE (fail closed). */
  RATE_LIMIT_REDIS_TIMEOUT_MS: z.coerce.number().int().positive().default(500),
});

export type RateLimitConfig = z.infer<typeof rateLimitConfigSchema>;

/** For `.superRefine` on the gateway's config: on Dapr the limits must be shared, so RATE_LIMIT_REDIS_HOST is required. */
export const requireSharedLimitsWithDapr = (
  config: RateLimitConfig & { SITTER_RUNTIME: 'embedded' | 'dapr' },
  context: z.RefinementCtx,
): void => {
  if (config.SITTER_RUNTIME === 'dapr' && config.RATE_LIMIT_REDIS_HOST === undefined) {
    context.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['RATE_LIMIT_REDIS_HOST'],
      message: 'is required when SITTER_RUNTIME=dapr: the API-key limits must hold across gateway replicas',
    });
  }
};
