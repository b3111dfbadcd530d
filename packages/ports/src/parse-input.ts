import type { z } from 'zod';
import { badInput } from './errors';

/**
 * Parses a use case's input with a zod schema; the first problem becomes a BAD_USER_INPUT naming its field
 * (renamed by `fieldNames` where the API calls it otherwise).
 */
export const parseInput = <S extends z.ZodTypeAny>(
  schema: S,
  input: unknown,
  fieldNames: Record<string, string> = {},
): z.infer<S> => {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue.code === 'unrecognized_keys') {
    const field = issue.keys[0];
    throw badInput(field, `${field} is not a field that can be set here`);
  }
  const path = issue.path.join('.') || 'input';
  const field = fieldNames[path] ?? path;
  if (issue.code === 'invalid_type' && issue.path.length === 0) throw badInput(field, 'input must be an object');
  throw badInput(field, issue.message.startsWith(field) ? issue.message : `${field}: ${issue.message}`);
};
