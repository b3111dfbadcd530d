import { createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { parseRoleMap, type RoleMap } from './roles';

/** Asymmetric algorithms only: HS* would let anyone holding the public key mint tokens, and "none" needs no key. */
export const ALLOWED_JWT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'PS256'] as const;
export type JwtAlgorithm = (typeof ALLOWED_JWT_ALGORITHMS)[number];

const isAllowedAlgorithm = (value: string): value is JwtAlgorithm =>
  (ALLOWED_JWT_ALGORITHMS as readonly string[]).includes(value);

/** Unset and empty mean the same: an env var declared blank in a manifest is not configured. */
const blankAsUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const commaList = (raw: string): string[] =>
  raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

const isPublicKeyPem = (pem: string): boolean => {
  try {
    createPublicKey(pem);
    return true;
  } catch {
    return false;
  }
};

const publicKeyPem = z
  .string()
  .transform((raw) => raw.replace(/\\n/g, '\n').trim())
  .refine(isPublicKeyPem, 'is not a PEM-encoded public key');

const algorithms = z
  .string()
  .default('RS256,ES256')
  .transform((raw, context): JwtAlgorithm[] => {
    const names = commaList(raw).map((name) => name.toUpperCase());
    const rejected = names.filter((name) => !isAllowedAlgorithm(name));
    if (rejected.length > 0 || names.length === 0) {
      context.addIssue({
        code: z.ZodIssueCode.custom,
        message: `${rejected.length > 0 ? `unsupported algorithm(s) ${rejected.join(', ')}` : 'no algorithm given'}; allowed: ${ALLOWED_JWT_ALGORITHMS.join(', ')}`,
      });
      return z.NEVER;
    }
    return [...new Set(names.filter(isAllowedAlgorithm))];
  });

const roleMap = z.string().transform((raw, context): RoleMap => {
  try {
    return parseRoleMap(raw);
  } catch (error) {
    context.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
    return z.NEVER;
  }
});

/**
 * The gateway's token and API-key settings. A plain object so it can be merged into the gateway's
 * config schema; apply `requireAuthKeySource` to the merged schema for the cross-field check.
 */
export const authConfigSchema = z.object({
  JWKS_URI: z.preprocess(blankAsUndefined, z.string().url().optional()),
  JWT_PUBLIC_KEY: z.preprocess(blankAsUndefined, publicKeyPem.optional()),
  JWT_ISSUER: z.string().min(1),
  JWT_AUDIENCE: z.string().min(1),
  JWT_ALGORITHMS: algorithms,
  /** May name a claim with a colon, such as `cognito:groups`. */
  JWT_ROLES_CLAIM: z.string().min(1).default('roles'),
  JWT_USERNAME_CLAIM: z.string().min(1).default('sub'),
  ROLE_MAP: z.preprocess(blankAsUndefined, roleMap.optional()),
  API_KEYS: z.string().default('').transform(commaList),
  /** Requests per minute per API key; an operation counts as many requests as its weight (requestWeight). */
  API_KEY_RATE_LIMIT: z.coerce.number().int().positive().default(60),
  /** The JWKS is fetched at most once per interval, whatever tokens arrive (unknown kids included). */
  JWKS_REFRESH_SECONDS: z.coerce.number().int().positive().default(30),
  /** How long fetched keys are used before the JWKS is asked again; a withdrawn key stops working after it. */
  JWKS_MAX_AGE_SECONDS: z.coerce.number().int().positive().default(600),
  /** How long one JWKS fetch may take, body included. */
  JWKS_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  /** Longer tokens are refused before they are parsed. */
  JWT_MAX_TOKEN_BYTES: z.coerce.number().int().positive().default(8_192),
  /** Unknown API keys per minute per client address, after which that address must wait. */
  API_KEY_FAILURE_LIMIT: z.coerce.number().int().positive().default(10),
});

export type AuthConfig = z.infer<typeof authConfigSchema>;

type CrossCheckedFields = Pick<
  AuthConfig,
  'JWKS_URI' | 'JWT_PUBLIC_KEY' | 'JWKS_REFRESH_SECONDS' | 'JWKS_MAX_AGE_SECONDS'
>;

export const MISSING_KEY_SOURCE_MESSAGE = 'set JWKS_URI or JWT_PUBLIC_KEY: tokens cannot be verified without a key';

export const hasKeySource = (config: Pick<AuthConfig, 'JWKS_URI' | 'JWT_PUBLIC_KEY'>): boolean =>
  Boolean(config.JWKS_URI || config.JWT_PUBLIC_KEY);

/**
 * Adds the cross-field checks to a schema that contains the auth fields (after any `.merge`):
 * JWKS_URI or JWT_PUBLIC_KEY, and a JWKS cache that lives at least one refresh interval (keys that
 * outlive their cache age while no refresh is allowed would be served past it).
 */
export const requireAuthKeySource = <S extends z.ZodType<CrossCheckedFields, z.ZodTypeDef, unknown>>(
  schema: S,
): z.ZodEffects<S> =>
  schema.superRefine((config, context) => {
    if (!hasKeySource(config)) {
      context.addIssue({ code: z.ZodIssueCode.custom, path: ['JWKS_URI'], message: MISSING_KEY_SOURCE_MESSAGE });
    }
    if (config.JWKS_MAX_AGE_SECONDS < config.JWKS_REFRESH_SECONDS) {
      context.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['JWKS_MAX_AGE_SECONDS'],
        message: 'must be at least JWKS_REFRESH_SECONDS',
      });
    }
  }) as z.ZodEffects<S>;

/** The auth settings on their own, with every check applied. */
export const validatedAuthConfigSchema = requireAuthKeySource(authConfigSchema);
