import { ConcurrencyConflictError, notFound, type StateStore } from '@sitter/ports';
import type { User } from './user';

/** State keys owned by the user service (see docs/internal-api.md). */
export const userKey = (username: string): string => `user:${username}`;
export const emailKey = (email: string): string => `user-email:${email.toLowerCase()}`;

export interface EmailRecord {
  username: string;
}

export const readUser = async (store: StateStore, username: string): Promise<User> => {
  const entry = await store.get<User>(userKey(username));
  if (!entry) throw notFound(`user '${username}' does not exist`);
  return entry.value;
};

const SAVE_ATTEMPTS = 5;

/**
 * Read-modify-write under the entry's ETag. A concurrent writer makes the save fail, so the
 * change is re-applied to the fresh record; after a few lost races the conflict goes to the caller.
 */
export const changeUser = async (
  store: StateStore,
  username: string,
  change: (current: User) => User,
): Promise<User> => {
  for (let attempt = 1; ; attempt += 1) {
    const entry = await store.get<User>(userKey(username));
    if (!entry) throw notFound(`user '${username}' does not exist`);
    const next = change(entry.value);
    try {
      await store.save(userKey(username), next, { etag: entry.etag });
      return next;
    } catch (error) {
      if (!(error instanceof ConcurrencyConflictError) || attempt >= SAVE_ATTEMPTS) throw error;
    }
  }
};
