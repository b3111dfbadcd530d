import { ID_RULE, USERNAME_RULE, canonicalUsername, isId, isUsername } from '@sitter/ports';
import { graphQLError } from './errors';

/**
 * Ids and usernames become path segments of service routes, so they are checked here, before
 * any call: an empty, malformed or hostile one is BAD_USER_INPUT naming the argument. The
 * services check them again (defence in depth).
 */
export const idArgument = (field: string, value: unknown): string => {
  if (!isId(value)) throw graphQLError('BAD_USER_INPUT', `${field} ${ID_RULE}`, { field });
  return value;
};

/** The canonical (lower-case) username, so `ALICE` names the account `alice`. */
export const usernameArgument = (field: string, value: unknown): string => {
  if (!isUsername(value)) throw graphQLError('BAD_USER_INPUT', `${field} ${USERNAME_RULE}`, { field });
  return canonicalUsername(value);
};
