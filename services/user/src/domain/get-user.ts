import type { Actor } from '@sitter/ports';
import type { UserDomainDeps } from './deps';
import type { User } from './user';
import { readUser } from './user-records';

/** Any authenticated caller may read a profile (the HTTP layer requires the caller). */
export const getUser =
  ({ store }: UserDomainDeps) =>
  async (_actor: Actor, username: string): Promise<User> =>
    readUser(store, username);
