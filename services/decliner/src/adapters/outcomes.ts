import type { Logger } from '@sitter/platform';
import type { DeclineOutcome } from '../domain';
import type { DeclinerMetrics } from './metrics';

type Final = Extract<DeclineOutcome, { kind: 'declined' | 'already-declined' | 'refused' }>;

/**
 * Logs and counts an outcome that ends a message's handling. A refusal (the application is ACCEPTED)
 * is recorded here as a rejected request: a warning line and a counter, never a retry.
 */
export const recordOutcome = (
  logger: Logger,
  metrics: DeclinerMetrics,
  outcome: Final,
  details: Record<string, unknown>,
): void => {
  switch (outcome.kind) {
    case 'declined':
      metrics.declined.inc();
      metrics.processed.inc({ outcome: 'declined' });
      logger.info('application declined', details);
      return;
    case 'already-declined':
      metrics.processed.inc({ outcome: 'already_declined' });
      logger.info('application already declined; nothing to do', details);
      return;
    case 'refused':
      metrics.processed.inc({ outcome: 'refused' });
      logger.warn('decline refused: the application is accepted and is never declined', {
        ...details,
        detail: outcome.detail,
      });
      return;
  }
};
