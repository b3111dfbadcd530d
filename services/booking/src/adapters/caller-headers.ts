import type { Actor } from '@sitter/ports';
import { Headers } from '@sitter/contracts';

/** The caller's identity, passed on so the called service applies its own rules to the same caller. */
export const callerHeaders = (actor: Actor): Record<string, string> => ({
  [Headers.callerUsername]: actor.username,
  [Headers.callerRoles]: actor.roles.join(','),
});
