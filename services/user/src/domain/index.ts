import type { UserDomainDeps } from './deps';
import { createUser } from './create-user';
import { getUser } from './get-user';
import { updateUser } from './update-user';
import { updateUserStatus } from './update-user-status';

export * from './user';
export type { UserDomainDeps } from './deps';
export type { CreateUserInput, UpdateUserInput, UpdateStatusInput } from './validation';

/** The user service's use cases, bound to their dependencies. */
export const createUserUseCases = (deps: UserDomainDeps) => ({
  createUser: createUser(deps),
  updateUser: updateUser(deps),
  getUser: getUser(deps),
  updateUserStatus: updateUserStatus(deps),
});

export type UserUseCases = ReturnType<typeof createUserUseCases>;
