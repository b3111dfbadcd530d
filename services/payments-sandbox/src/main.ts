import { hostService } from '@sitter/host';
import { createPaymentsSandboxApp, PAYMENTS_SANDBOX_APP_ID } from './app';
import { loadSandboxConfig } from './config';

/**
 * The payments sandbox on its own: behind its own daprd on the same Kafka as booking (SITTER_RUNTIME=dapr), or
 * embedded, where it shares no broker with booking (`npm start` runs it with every service in one runtime).
 */
const config = loadSandboxConfig();

hostService({
  appId: PAYMENTS_SANDBOX_APP_ID,
  config,
  build: (deps) => ({
    app: createPaymentsSandboxApp({ ...deps, answerDelayMs: config.PAYMENTS_SANDBOX_ANSWER_DELAY_MS }),
  }),
}).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
