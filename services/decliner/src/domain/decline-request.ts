import { DeclineRequestSchema, readMessage, type DeclineRequest } from '@sitter/contracts';

/** Why a message can never be handled, however often it is retried: it goes to the dead-letter topic at once. */
export type Unreadable = { ok: false; kind: 'malformed' | 'invalid'; problem: string };
export type Readable = { ok: true; request: DeclineRequest };

/** A payload already parsed from JSON (the embedded bus delivers those), checked against the topic's schema. */
export const validateDeclineRequest = (data: unknown): Readable | Unreadable => {
  const read = readMessage(DeclineRequestSchema, data);
  if (!read.ok) return { ok: false, kind: 'invalid', problem: read.problems.join('; ') };
  return { ok: true, request: read.message };
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
