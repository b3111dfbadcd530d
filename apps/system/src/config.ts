import { DEV_AUDIENCE, DEV_ISSUER, DEV_ISSUER_DEFAULT_PORT } from '@sitter/dev-issuer';
import { gatewayConfigFields, requireAuthKeySource } from '@sitter/gateway';
import { dataDirField, loadConfig, portSchema, z } from '@sitter/platform';

/** The API key `npm start` accepts when none is configured; documented in the README. */
export const DEV_API_KEY = 'sitter-dev-key';

const systemConfigSchema = requireAuthKeySource(
  gatewayConfigFields.merge(
    z.object({
      DATA_DIR: dataDirField,
      DEV_ISSUER_PORT: portSchema(DEV_ISSUER_DEFAULT_PORT),
      // One process, so no sidecars: `npm run dev:dapr` runs the system on Dapr.
      SITTER_RUNTIME: z
        .enum(['embedded'], { message: "npm start runs the embedded runtime; 'npm run dev:dapr' runs on Dapr" })
        .default('embedded'),
    }),
  ),
);

export type SystemConfig = z.infer<typeof systemConfigSchema> & {
  /** True when the dev issuer signs the tokens (no JWKS_URI or JWT_PUBLIC_KEY given). */
  localAuth: boolean;
};

/**
 * With no JWKS_URI and no JWT_PUBLIC_KEY the system runs in local mode: it starts the dev
 * issuer and trusts its JWKS (through the same verification path as any issuer), with a
 * documented dev API key.
 */
export const loadSystemConfig = (env: NodeJS.ProcessEnv = process.env): SystemConfig => {
  const local = !env.JWKS_URI && !env.JWT_PUBLIC_KEY;
  const devIssuerPort = env.DEV_ISSUER_PORT ?? String(DEV_ISSUER_DEFAULT_PORT);
  const localDefaults = local
    ? {
        JWKS_URI: `http://127.0.0.1:${devIssuerPort}/.well-known/jwks.json`,
        JWT_ISSUER: DEV_ISSUER,
        JWT_AUDIENCE: DEV_AUDIENCE,
        API_KEYS: env.API_KEYS ?? DEV_API_KEY,
      }
    : {};
  return { ...loadConfig('sitter', systemConfigSchema, { ...env, ...localDefaults }), localAuth: local };
};
