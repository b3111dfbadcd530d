import type { Publisher } from '@sitter/ports';
import { Topics, type DeclineRequest } from '@sitter/contracts';
import { describe, type Logger } from '@sitter/platform';
import type { DeclineRequests } from '../domain';

/**
 * Publishes decline requests as raw JSON keyed by job, so one job's requests stay in order and
 * partners' consumers read the same payload the platform sends.
 */
export class PublishedDeclines implements DeclineRequests {
  constructor(
    private readonly publisher: Publisher,
    private readonly logger: Logger,
  ) {}

  async request(decline: DeclineRequest): Promise<void> {
    try {
      await this.publisher.publish(Topics.applicationDeclines, decline, {
        partitionKey: decline.jobId,
        rawPayload: true,
      });
    } catch (error) {
      // The booking stands; this application stays PENDING on a closed job until declined again.
      this.logger.error('could not publish a decline request', {
        jobId: decline.jobId,
        applicationId: decline.applicationId,
        error: describe(error).message,
      });
    }
  }
}
