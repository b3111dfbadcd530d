import type { DeliveredMessage, MessageHandler, Publisher } from '@sitter/ports';
import type { Logger } from '@sitter/platform';
import { declineApplication, validateDeclineRequest, type DeclinerDomain } from '../domain';
import type { DeadLetterReason } from './dead-letters';
import type { DeclinerMetrics } from './metrics';
import { recordOutcome } from './outcomes';

export interface EmbeddedDeclineDeps {
  domain: DeclinerDomain;
  publisher: Publisher;
  logger: Logger;
  metrics: DeclinerMetrics;
  deadLetterTopic: string;
}

/**
 * The same decline use case on the embedded bus (`npm start`, no Kafka). The bus brings the request
 * id and does the retrying: a transient failure throws, and the bus tries again with backoff and
 * then dead-letters. What retrying cannot fix (unreadable, unknown application) is published to the
 * dead-letter topic at once and acknowledged, as the Kafka consumer does.
 */
export const embeddedDeclineHandler =
  (deps: EmbeddedDeclineDeps): MessageHandler<unknown> =>
  async (message: DeliveredMessage<unknown>) => {
    const { domain, logger, metrics } = deps;
    const where = { topic: message.topic, messageId: message.id, attempt: message.attempt };
    if (message.attempt > 1) metrics.retried.inc();
    logger.info('decline request received', where);
    const read = validateDeclineRequest(message.data);
    if (!read.ok) {
      await deadLetter(deps, message, read.kind, read.problem, where);
      return;
    }
    const { request } = read;
    const details = { ...where, applicationId: request.applicationId, jobId: request.jobId, source: request.source };
    const outcome = await declineApplication(domain, request);
    if (outcome.kind === 'transient') {
      logger.warn('decline failed; the bus will deliver it again', { ...details, error: outcome.detail });
      throw new Error(outcome.detail);
    }
    if (outcome.kind === 'unknown' || outcome.kind === 'invalid') {
      await deadLetter(deps, message, outcome.kind, outcome.detail, details, request.jobId);
      return;
    }
    recordOutcome(logger, metrics, outcome, details);
  };

const deadLetter = async (
  deps: EmbeddedDeclineDeps,
  message: DeliveredMessage<unknown>,
  reason: DeadLetterReason,
  error: string,
  details: Record<string, unknown>,
  jobId?: string,
): Promise<void> => {
  await deps.publisher.publish(deps.deadLetterTopic, message.data, { partitionKey: jobId, rawPayload: true });
  deps.metrics.deadLettered.inc({ reason });
  deps.metrics.processed.inc({ outcome: 'dead_lettered' });
  deps.logger.warn('message dead-lettered', { ...details, reason, error, deadLetterTopic: deps.deadLetterTopic });
};
