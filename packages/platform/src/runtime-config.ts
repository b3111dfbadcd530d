import { Components } from '@sitter/contracts';
import { z } from 'zod';
import { logLevelSchema, portSchema } from './config';

/**
 * The environment a service reads to choose its runtime: `embedded` (in-process, the default) or `dapr` (a daprd
 * sidecar next to it, whose HTTP port is DAPR_HTTP_PORT; Dapr's injector sets it in Kubernetes).
 */
export const runtimeConfigFields = {
  SITTER_RUNTIME: z.enum(['embedded', 'dapr']).default('embedded'),
  DAPR_HTTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /**
   * On Dapr: the lock store component through which state writes lock their keys, or `none` for a state store
   * whose transactions roll back by themselves (state.sqlite, state.postgresql). state.redis needs the locks.
   */
  SITTER_STATE_LOCK_STORE: z.string().min(1).default(Components.lockStore),
  /** Sent as `dapr-api-token` on every call to the sidecar (daprd requires it when it has the same variable). */
  DAPR_API_TOKEN: z.string().min(1).optional(),
  /** Required of every request to the app but /healthz and /readyz, in `dapr-api-token` (daprd sends it). */
  APP_API_TOKEN: z.string().min(1).optional(),
};

export interface RuntimeConfig {
  SITTER_RUNTIME: 'embedded' | 'dapr';
  DAPR_HTTP_PORT?: number;
  SITTER_STATE_LOCK_STORE: string;
  DAPR_API_TOKEN?: string;
  APP_API_TOKEN?: string;
}

/** For `.superRefine` on a service's config schema: with SITTER_RUNTIME=dapr, DAPR_HTTP_PORT is required. */
export const requireDaprPortWithDapr = (config: RuntimeConfig, context: z.RefinementCtx): void => {
  if (config.SITTER_RUNTIME === 'dapr' && config.DAPR_HTTP_PORT === undefined) {
    context.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['DAPR_HTTP_PORT'],
      message: "is required when SITTER_RUNTIME=dapr (the sidecar's HTTP port, daprd --dapr-http-port)",
    });
  }
};

/** The sidecar's HTTP port when the configuration chose Dapr; undefined for the embedded runtime. */
export const chosenDaprPort = (config: RuntimeConfig): number | undefined =>
  config.SITTER_RUNTIME === 'dapr' ? config.DAPR_HTTP_PORT : undefined;

/** The lock store the Dapr adapters write state through, or null when the configuration said `none`. */
export const chosenStateLockStore = (config: RuntimeConfig): string | null =>
  config.SITTER_STATE_LOCK_STORE === 'none' ? null : config.SITTER_STATE_LOCK_STORE;

/** The fields every process reads, its own port's default aside: where it listens and how much it logs. */
export const processConfigFields = (defaultPort: number) => ({
  PORT: portSchema(defaultPort),
  LOG_LEVEL: logLevelSchema,
});

/** Where the embedded runtime keeps its data (each service under a directory of its own). */
export const dataDirField = z.string().min(1).default('./.data');

/**
 * The fields every service hosted on a runtime reads, its own port's default aside; a service's schema
 * extends them and ends with `.superRefine(requireDaprPortWithDapr)`.
 */
export const serviceConfigFields = (defaultPort: number) => ({
  ...processConfigFields(defaultPort),
  DATA_DIR: dataDirField,
  ...runtimeConfigFields,
});
