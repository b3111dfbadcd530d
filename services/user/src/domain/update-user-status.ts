import { forbidden, isAdmin, type Actor, parseInput } from '@sitter/ports';
import type { UserDomainDeps } from './deps';
import type { User } from './user';
import { changeUser } from './user-records';
import { updateStatusSchema } from './validation';

/** Verifies, un-verifies or deactivates an account; admins only. */
export const updateUserStatus =
  (deps: UserDomainDeps) =>
  async (actor: Actor, username: string, input: unknown): Promise<User> => {
    if (!isAdmin(actor)) throw forbidden('only an admin can change a user status');
    const { status } = parseInput(updateStatusSchema, input);
    return changeUser(
      deps,
      username,
      (current) => ({ ...current, status, updatedOn: deps.clock.now().toISOString() }),
      { type: 'USER_STATUS_CHANGED', actor: actor.username },
    );
  };
