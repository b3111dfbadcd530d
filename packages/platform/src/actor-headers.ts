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
