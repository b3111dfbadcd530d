import { loadConfig, requireDaprPortWithDapr, serviceConfigFields, z } from '@sitter/platform';

const schema = z
  .object({
    ...serviceConfigFields(3005),
    /** How long the sandbox waits before it answers a request (0): holds a booking's saga between its payment request and the result, for tests. */
    PAYMENTS_SANDBOX_ANSWER_DELAY_MS: z.coerce.number().int().min(0).default(0),
  })
  .superRefine(requireDaprPortWithDapr);

export const loadSandboxConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig('payments-sandbox', schema, env);
