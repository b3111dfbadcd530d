import { createLogger, type Logger } from '@sitter/platform';

export interface LogEntry {
  level: string;
  message: string;
  [key: string]: unknown;
}

/** A real logger that writes nowhere and lets the test read what was logged. */
export const capturingLogger = (): { logger: Logger; entries: LogEntry[] } => {
  const logger = createLogger('booking-test', 'debug');
  for (const transport of logger.transports) transport.silent = true;
  const entries: LogEntry[] = [];
  logger.on('data', (info: LogEntry) => entries.push(info));
  return { logger, entries };
};
