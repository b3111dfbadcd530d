import { loadConfig, requireDaprPortWithDapr, serviceConfigFields, z } from '@sitter/platform';

const schema = z.object(serviceConfigFields(3005)).superRefine(requireDaprPortWithDapr);

export const loadSandboxConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig('payments-sandbox', schema, env);
