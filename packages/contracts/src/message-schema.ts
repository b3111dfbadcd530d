import { z } from 'zod/v4';

/** JSON's name for a value's type, as the problems of a message name it. */
const jsonTypeOf = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
};

/** "is required" for a missing field, "must be of type <expected>, not <actual>" otherwise. */
export const typeProblem =
  (expected: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined ? 'is required' : `must be of type ${expected}, not ${jsonTypeOf(issue.input)}`;

/** Text with something visible in it, between 1 and `maxLength` characters. */
export const visibleText = (maxLength: number) =>
  z
    .string({ error: typeProblem('string') })
    .min(1, 'must have at least 1 character(s)')
    .max(maxLength, `must have at most ${maxLength} characters`)
    .regex(/\S/, 'must match \\S');

/** RFC 3339 with seconds, upper-case T and Z or an offset (what the platform writes); JSON Schema's `date-time`. */
const NOT_A_TIMESTAMP = 'must be an RFC 3339 date-time such as 2031-05-01T09:30:00Z';
export const timestamp = () =>
  z.iso
    .datetime({
      offset: true,
      error: (issue) => (issue.code === 'invalid_type' ? typeProblem('string')(issue) : NOT_A_TIMESTAMP),
    })
    // zod lets seconds out; RFC 3339 (JSON Schema's date-time) does not.
    .refine((value) => /T\d\d:\d\d:\d\d/.test(value), NOT_A_TIMESTAMP);

export const version1 = () => z.literal(1, { error: 'must be 1' });

export type MessageReading<T> = { ok: true; message: T } | { ok: false; problems: string[] };

/** Reads a message already parsed from JSON; every problem as "<field>: <what is wrong>", in the schema's order. */
export const readMessage = <T>(schema: z.ZodType<T>, data: unknown): MessageReading<T> => {
  const parsed = schema.safeParse(data);
  if (parsed.success) return { ok: true, message: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(message)'}: ${issue.message}`),
  };
};
