import { z } from 'zod';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** `true` or `false`; unset leaves the choice to NODE_ENV. */
const optionalFlag = z
  .enum(['true', 'false'])
  .optional()
  .transform((value) => (value === undefined ? undefined : value === 'true'));

const origins = z
  .string()
  .default('')
  .transform((raw, context): string[] => {
    const list = raw
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    const bad = list.filter((item) => !isOrigin(item));
    if (bad.length > 0) {
      context.addIssue({
        code: z.ZodIssueCode.custom,
        message: `not an origin (scheme://host[:port], no path, no wildcard): ${bad.join(', ')}`,
      });
      return z.NEVER;
    }
    return list;
  });

const isOrigin = (value: string): boolean => {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
};

/**
 * What one request may cost and what browsers may do with the gateway. "Public" limits apply to callers
 * without a bearer token (anonymous, or an x-api-key only).
 */
export const protectionConfigSchema = z.object({
  NODE_ENV: z.string().default('development'),
  GRAPHIQL: optionalFlag,
  /** Also decides whether validation errors suggest field names (they reveal the schema just the same). */
  GRAPHQL_INTROSPECTION: optionalFlag,
  CORS_ORIGINS: origins,
  MAX_REQUEST_BODY_BYTES: positiveInt(65_536),
  GRAPHQL_MAX_TOKENS: positiveInt(1_000),
  GRAPHQL_MAX_DIRECTIVES: positiveInt(10),
  GRAPHQL_MAX_DEPTH: positiveInt(8),
  GRAPHQL_MAX_DEPTH_PUBLIC: positiveInt(5),
  GRAPHQL_MAX_ALIASES: positiveInt(20),
  GRAPHQL_MAX_ALIASES_PUBLIC: positiveInt(5),
  GRAPHQL_MAX_COST: positiveInt(2_000),
  GRAPHQL_MAX_COST_PUBLIC: positiveInt(300),
});

export type ProtectionConfig = z.infer<typeof protectionConfigSchema>;

/** Ceilings of one caller tier, checked at validation. */
export interface TierLimits {
  maxDepth: number;
  maxAliases: number;
  /** graphql-armor's cost estimate of an operation. */
  maxCost: number;
}

export interface GatewayProtection {
  graphiql: boolean;
  /** Introspection and field suggestions in validation errors. */
  introspection: boolean;
  /** Origins a browser may call from (CORS); none means no CORS headers at all. */
  corsOrigins: string[];
  maxRequestBodyBytes: number;
  /** Counted while parsing, for every caller: stops an oversized document before it is built. */
  maxTokens: number;
  maxDirectives: number;
  /** Callers with a bearer token. */
  authenticated: TierLimits;
  /** Callers without one: anonymous, or an API key only. */
  public: TierLimits;
}

/** The settings in effect: GraphiQL and introspection are on by default, except when NODE_ENV is production. */
export const gatewayProtection = (config: ProtectionConfig): GatewayProtection => {
  const developerTools = config.NODE_ENV !== 'production';
  return {
    graphiql: config.GRAPHIQL ?? developerTools,
    introspection: config.GRAPHQL_INTROSPECTION ?? developerTools,
    corsOrigins: config.CORS_ORIGINS,
    maxRequestBodyBytes: config.MAX_REQUEST_BODY_BYTES,
    maxTokens: config.GRAPHQL_MAX_TOKENS,
    maxDirectives: config.GRAPHQL_MAX_DIRECTIVES,
    authenticated: {
      maxDepth: config.GRAPHQL_MAX_DEPTH,
      maxAliases: config.GRAPHQL_MAX_ALIASES,
      maxCost: config.GRAPHQL_MAX_COST,
    },
    public: {
      maxDepth: config.GRAPHQL_MAX_DEPTH_PUBLIC,
      maxAliases: config.GRAPHQL_MAX_ALIASES_PUBLIC,
      maxCost: config.GRAPHQL_MAX_COST_PUBLIC,
    },
  };
};

/** The defaults for the given environment, e.g. `{ NODE_ENV: 'production' }`. */
export const defaultProtection = (env: Record<string, string | undefined> = {}): GatewayProtection =>
  gatewayProtection(protectionConfigSchema.parse(env));
