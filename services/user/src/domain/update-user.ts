import { forbidden, isAdmin, type Actor, parseInput } from '@sitter/ports';
import type { UserDomainDeps } from './deps';
import type { User } from './user';
import { changeUser } from './user-records';
import { updateUserSchema, type UpdateUserInput } from './validation';

/** Changes the editable profile fields; only the owner or an admin may, and the owner only while not DEACTIVATED. */
export const updateUser =
  (deps: UserDomainDeps) =>
  async (actor: Actor, username: string, input: unknown): Promise<User> => {
    if (actor.username !== username && !isAdmin(actor)) throw forbidden('you can only update your own user');
    const changes = parseInput(updateUserSchema, input);
    return changeUser(
      deps,
      username,
      (current) => {
        if (current.status === 'DEACTIVATED' && !isAdmin(actor)) throw forbidden('your account is deactivated');
        return applyChanges(current, changes, deps.clock.now().toISOString());
      },
      { type: 'USER_UPDATED', actor: actor.username },
    );
  };

/** Absent fields stay; `null` clears an optional field (the schema keeps names non-null). */
const applyChanges = (current: User, changes: UpdateUserInput, updatedOn: string): User => {
  const next: Record<string, unknown> = { ...current, updatedOn };
  for (const [field, value] of Object.entries(changes)) {
    if (value === null) delete next[field];
    else if (value !== undefined) next[field] = value;
  }
  return next as unknown as User;
};
