import { createLogger, type Logger } from '@sitter/platform';

export interface LogEntry {
  level: string;
  message: string;
  requestId?: string;
  [key: string]: unknown;
}

/** A real logger whose lines the test reads instead of the console. */
export const capturingLogger = (service = 'decliner'): { logger: Logger; entries: LogEntry[] } => {
  const logger = createLogger(service, 'debug');
  for (const transport of logger.transports) transport.silent = true;
  const entries: LogEntry[] = [];
  logger.on('data', (info: LogEntry) => entries.push(info));
  return { logger, entries };
};
