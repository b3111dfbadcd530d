import { z } from 'zod';
import { badInput } from '@sitter/ports';

const id = (field: string) =>
  z
    .string({ required_error: `${field} is required`, invalid_type_error: `${field} must be a string` })
    .trim()
    .min(1, `${field} must not be empty`)
    .max(128, `${field} must be at most 128 characters`);

export const createBookingSchema = z.object({ jobId: id('jobId'), applicationId: id('applicationId') }).strict();
export type CreateBookingInput = z.infer<typeof createBookingSchema>;

/** Parses input with a schema; the first problem becomes a BAD_USER_INPUT naming its field. */
export const parseInput = <S extends z.ZodTypeAny>(schema: S, input: unknown): z.infer<S> => {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue.code === 'unrecognized_keys') throw badInput(issue.keys[0], `${issue.keys[0]} is not a known field`);
  if (issue.path.length === 0) throw badInput('input', 'input must be an object');
  const field = issue.path.join('.');
  throw badInput(field, issue.message.startsWith(field) ? issue.message : `${field}: ${issue.message}`);
};
