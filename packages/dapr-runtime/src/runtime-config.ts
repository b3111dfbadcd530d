import { z } from '@sitter/platform';

/**
 * The environment a service reads to choose its runtime: `embedded` (in-process, the default) or `dapr` (a daprd
 * sidecar next to it, whose HTTP port is DAPR_HTTP_PORT; Dapr's injector sets it in Kubernetes).
 */
export const runtimeConfigFields = {
  SITTER_RUNTIME: z.enum(['embedded', 'dapr']).default('embedded'),
  DAPR_HTTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
};

export interface RuntimeConfig {
  SITTER_RUNTIME: 'embedded' | 'dapr';
  DAPR_HTTP_PORT?: number;
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
