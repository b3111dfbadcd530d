import { isAdmin, type Actor } from '@sitter/ports';
import type { UserDomainDeps } from './deps';
import { publicProfile, type PublicProfile, type User } from './user';
import { readUser } from './user-records';

/** Any authenticated caller may read a profile: the owner and admins all of it, anyone else its public part. */
export const getUser =
  ({ store }: UserDomainDeps) =>
  async (actor: Actor, username: string): Promise<User | PublicProfile> => {
    const user = await readUser(store, username);
    return actor.username === user.username || isAdmin(actor) ? user : publicProfile(user);
  };
