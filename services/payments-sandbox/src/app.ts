import { systemClock, type Clock, type Publisher, type StateStore, type Subscriber } from '@sitter/ports';
import { PartnerTopics } from '@sitter/contracts';
import { createServiceApp, type ServiceHosting } from '@sitter/platform';
import { parsePaymentRequest } from './adapters/request-schema';
import { processPaymentRequest } from './domain/process-request';

/** Not a platform app id: the sandbox stands in for a partner outside the platform. */
export const PAYMENTS_SANDBOX_APP_ID = 'payments-sandbox';

export interface PaymentsSandboxDeps extends ServiceHosting {
  store: StateStore;
  publisher: Publisher;
  subscriber: Subscriber;
  clock?: Clock;
  /** Wait this long before answering a request (0). */
  answerDelayMs?: number;
}

/** Subscribes to `payments.requests` and answers on `payments.results`; its HTTP app serves only health checks. */
export const createPaymentsSandboxApp = (deps: PaymentsSandboxDeps) => {
  const handle = processPaymentRequest({
    store: deps.store,
    publisher: deps.publisher,
    clock: deps.clock ?? systemClock,
    log: deps.logger,
    answerDelayMs: deps.answerDelayMs ?? 0,
  });
  deps.subscriber.subscribe(PartnerTopics.paymentRequests, (message) => handle(parsePaymentRequest(message.data)));
  return createServiceApp(deps.logger, [], deps.readiness, deps.runtimeRouters);
};
