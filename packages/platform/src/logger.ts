import winston from 'winston';
import { currentRequestId } from './request-context';

/** Keys whose values never reach a log, wherever they appear in the logged object. */
const SECRET_KEYS = /^(authorization|password|secret|token|paymentToken|apiKey|x-api-key|privateKey)$/i;

const redact = (value: unknown, depth = 0): unknown => {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SECRET_KEYS.test(key) ? '[redacted]' : redact(inner, depth + 1);
  }
  return out;
};

const withContext = winston.format((info) => {
  const requestId = currentRequestId();
  if (requestId && !info.requestId) info.requestId = requestId;
  for (const key of Object.keys(info)) {
    if (SECRET_KEYS.test(key)) info[key] = '[redacted]';
    else if (typeof info[key] === 'object') info[key] = redact(info[key]);
  }
  return info;
});

export type Logger = winston.Logger;

/** A JSON logger for one service; every line carries the service name and the current request id. */
export const createLogger = (service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger =>
  winston.createLogger({
    level,
    defaultMeta: { service },
    format: winston.format.combine(withContext(), winston.format.timestamp(), winston.format.json()),
    transports: [new winston.transports.Console({ silent: level === 'silent' })],
  });
