import type { DeliveredMessage, MessageHandler } from '@sitter/ports';
import { describe, type Logger } from '@sitter/platform';
import { declineApplication, validateDeclineRequest, type JobDomain } from '../domain';

/**
 * Consumes decline requests. Throwing asks the broker to redeliver and, once attempts run
 * out, to dead-letter the message: that is what happens to malformed requests and unknown
 * applications. Every other outcome is acknowledged.
 */
export const declinesSubscription =
  (domain: Pick<JobDomain, 'store' | 'clock'>, logger: Logger): MessageHandler<unknown> =>
  async (message: DeliveredMessage<unknown>) => {
    const context = { topic: message.topic, messageId: message.id, attempt: message.attempt };
    let request;
    try {
      request = validateDeclineRequest(message.data);
    } catch (error) {
      logger.warn('invalid decline request', { ...context, error: describe(error).message });
      throw error;
    }
    const details = { ...context, applicationId: request.applicationId, jobId: request.jobId, source: request.source };
    try {
      const outcome = await declineApplication(domain, request);
      if (outcome === 'REFUSED_ACCEPTED') logger.warn('refused to decline an accepted application', details);
      else if (outcome === 'ALREADY_DECLINED') logger.info('application already declined', details);
      else logger.info('application declined', details);
    } catch (error) {
      logger.warn('could not decline application', { ...details, error: describe(error).message });
      throw error;
    }
  };
