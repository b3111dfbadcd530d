import { badInput } from './errors';

/**
 * Record ids. The services generate UUIDs (hex digits and "-"); ids are accepted in the URL-safe
 * alphabet around them, so nothing that names a route (an empty segment, "/", "..", "%", spaces)
 * ever reaches one, and a test or a partner may still use readable ids such as "job-1".
 */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** A username as stored: lower case, 3–64 characters of letters, digits, ".", "_", "@" or "-". */
export const USERNAME_PATTERN = /^[a-z0-9._@-]{3,64}$/;

export const ID_RULE = 'must be 1-64 characters of letters, digits, "_" or "-"';
export const USERNAME_RULE = 'must be 3-64 characters of letters, digits, ".", "_", "@" or "-"';

/**
 * The one spelling of a username, so `Alice`, `ALICE` and `alice` are one account. Applied to
 * sign-ups, to every lookup and to the caller a token names. Usernames are ASCII, so lower-casing
 * A–Z is their whole case folding; anything else is left as it is on purpose: NFC or a Unicode
 * toLowerCase would turn some non-ASCII names into ASCII ones (U+212A KELVIN SIGN becomes "k"), and
 * a token for an identity provider's user "\u212Aate" would then act as the account "kate".
 */
export const canonicalUsername = (value: string): string => value.replace(/[A-Z]/g, (letter) => letter.toLowerCase());

export const isId = (value: unknown): value is string => typeof value === 'string' && ID_PATTERN.test(value);

/** True when the value, once canonical, is a username. */
export const isUsername = (value: unknown): value is string =>
  typeof value === 'string' && USERNAME_PATTERN.test(canonicalUsername(value));

/** The id, or BAD_USER_INPUT naming the field. */
export const checkId = (field: string, value: unknown): string => {
  if (!isId(value)) throw badInput(field, `${field} ${ID_RULE}`);
  return value;
};

/** The canonical username, or BAD_USER_INPUT naming the field. */
export const checkUsername = (field: string, value: unknown): string => {
  if (!isUsername(value)) throw badInput(field, `${field} ${USERNAME_RULE}`);
  return canonicalUsername(value);
};
