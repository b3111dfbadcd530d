import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock, Publisher, StateStore } from '@sitter/ports';
import { Topics, type PaymentOutcome, type PaymentRequest, type PaymentResult } from '@sitter/contracts';
import { behaviourOf } from './test-tokens';

export interface SandboxDeps {
  store: StateStore;
  publisher: Publisher;
  clock: Clock;
  /** Only ids and outcomes are logged, never the token. */
  log: { info(message: string, context?: Record<string, unknown>): void };
  /** How long to wait before answering (tests hold a booking between its request and the result with it). */
  answerDelayMs: number;
}

/** What the sandbox decided for one idempotency key: `NONE` means it chose never to answer. */
export interface StoredDecision {
  outcome: PaymentOutcome | 'NONE';
  result?: PaymentResult;
}

export const decisionKey = (idempotencyKey: string) => `payment:${idempotencyKey}`;

const reference = (prefix: string, idempotencyKey: string) =>
  `${prefix}_${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 16)}`;

const decide = async (deps: SandboxDeps, request: PaymentRequest): Promise<StoredDecision> => {
  const base = { version: 1, bookingId: request.bookingId, idempotencyKey: request.idempotencyKey } as const;
  const processedAt = deps.clock.now().toISOString();
  if (request.type === 'REFUND') {
    const authorization = await deps.store.get<StoredDecision>(decisionKey(request.authorizationKey));
    if (authorization?.value.outcome !== 'AUTHORIZED') {
      return { outcome: 'DECLINED', result: { ...base, outcome: 'DECLINED', reason: 'no_authorization', processedAt } };
    }
    const processorReference = reference('re', request.idempotencyKey);
    return { outcome: 'REFUNDED', result: { ...base, outcome: 'REFUNDED', processorReference, processedAt } };
  }
  if (!/^\d+(\.\d{1,2})?$/.test(request.amount)) {
    return { outcome: 'DECLINED', result: { ...base, outcome: 'DECLINED', reason: 'invalid_amount', processedAt } };
  }
  const behaviour = behaviourOf(request.paymentToken);
  if (behaviour.answer === 'NONE') return { outcome: 'NONE' };
  if (behaviour.answer === 'DECLINED') {
    return { outcome: 'DECLINED', result: { ...base, outcome: 'DECLINED', reason: behaviour.reason, processedAt } };
  }
  const processorReference = reference('ch', request.idempotencyKey);
  return { outcome: 'AUTHORIZED', result: { ...base, outcome: 'AUTHORIZED', processorReference, processedAt } };
};

/**
 * Handles one message of `payments.requests`. A repeated idempotency key gets the first answer
 * again (published again, since the first may be what was lost) and is never charged twice.
 */
export const processPaymentRequest =
  (deps: SandboxDeps) =>
  async (request: PaymentRequest): Promise<void> => {
    deps.log.info('payment request received', {
      bookingId: request.bookingId,
      type: request.type,
      idempotencyKey: request.idempotencyKey,
    });
    if (deps.answerDelayMs > 0) await sleep(deps.answerDelayMs);
    const key = decisionKey(request.idempotencyKey);
    let decision = (await deps.store.get<StoredDecision>(key))?.value;
    if (!decision) {
      decision = await decide(deps, request);
      // Concurrent duplicates: the first write wins, the loser re-reads and answers with it.
      await deps.store.save(key, decision, { onlyIfAbsent: true }).catch(() => undefined);
      decision = (await deps.store.get<StoredDecision>(key))?.value ?? decision;
      deps.log.info('payment request decided', {
        bookingId: request.bookingId,
        type: request.type,
        outcome: decision.outcome,
      });
    }
    if (!decision.result) return;
    await deps.publisher.publish(Topics.paymentResults, decision.result, {
      partitionKey: request.bookingId,
      rawPayload: true,
    });
  };
