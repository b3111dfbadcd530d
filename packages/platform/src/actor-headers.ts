import { Headers } from '@sitter/contracts';
import { canonicalUsername, type Actor, type Role } from '@sitter/ports';

const ROLES: readonly Role[] = ['PARENT', 'NANNY', 'ADMIN'];

/** The caller the gateway named in the internal headers, username canonical; undefined when there is none. */
export const actorFromHeaders = (header: (name: string) => string | undefined): Actor | undefined => {
  const username = header(Headers.callerUsername);
  if (!username) return undefined;
  const roles = (header(Headers.callerRoles) ?? '')
    .split(',')
    .map((role) => role.trim())
    .filter((role): role is Role => (ROLES as readonly string[]).includes(role));
  return { username: canonicalUsername(username), roles };
};

/**
 * The internal headers that name the caller (the reverse of actorFromHeaders), for a call made on its behalf:
 * the called service applies its own rules to the same caller. The username in its canonical spelling:
 * `Alice` and `alice` are one account.
 */
export const actorHeaders = (actor: Actor): Record<string, string> => ({
  [Headers.callerUsername]: canonicalUsername(actor.username),
  [Headers.callerRoles]: actor.roles.join(','),
});
