import type { DeclineRequest } from '@sitter/contracts';
import { declineRequestSchema } from './decline-request.schema';
import { validateAgainstSchema } from './json-schema';

/** Why a message can never be handled, however often it is retried: it goes to the dead-letter topic at once. */
export type Unreadable = { ok: false; kind: 'malformed' | 'invalid'; problem: string };
export type Readable = { ok: true; request: DeclineRequest };

/** A payload already parsed from JSON (the embedded bus delivers those). */
export const validateDeclineRequest = (data: unknown): Readable | Unreadable => {
  const problems = validateAgainstSchema(declineRequestSchema, data);
  if (problems.length > 0) return { ok: false, kind: 'invalid', problem: problems.join('; ') };
  return { ok: true, request: data as DeclineRequest };
};

/** The raw bytes of a Kafka message value: JSON first, then the schema. */
export const readDeclineRequest = (value: Uint8Array | string | null | undefined): Readable | Unreadable => {
  if (value === null || value === undefined)
    return { ok: false, kind: 'malformed', problem: 'the message has no value' };
  const text = typeof value === 'string' ? value : Buffer.from(value).toString('utf8');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, kind: 'malformed', problem: `not JSON: ${(error as Error).message}` };
  }
  return validateDeclineRequest(data);
};
