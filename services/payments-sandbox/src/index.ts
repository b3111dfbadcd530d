export { createPaymentsSandboxApp, PAYMENTS_SANDBOX_APP_ID, type PaymentsSandboxDeps } from './app';
export { behaviourOf, type TokenBehaviour } from './domain/test-tokens';
export { decisionKey, type StoredDecision } from './domain/process-request';
