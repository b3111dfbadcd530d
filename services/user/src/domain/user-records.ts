import { ConcurrencyConflictError, notFound, type Change, type EventLog, type StateStore } from '@sitter/ports';
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

/** A profile's change as its domain event: the whole profile after it, readable by its owner. */
export const userChange = (
  type: 'USER_CREATED' | 'USER_UPDATED' | 'USER_STATUS_CHANGED',
  user: User,
): Change<User> => ({
  type,
  entity: 'USER',
  entityId: user.username,
  owners: [user.username],
  value: user,
});

const SAVE_ATTEMPTS = 5;

/**
 * Read-modify-write under the entry's ETag, with its event. A concurrent writer makes the save fail, so the
 * change is re-applied to the fresh record; after a few lost races the conflict goes to the caller.
 */
export const changeUser = async (
  { store, events }: { store: StateStore; events: EventLog },
  username: string,
  change: (current: User) => User,
  event: { type: 'USER_UPDATED' | 'USER_STATUS_CHANGED'; actor: string },
): Promise<User> => {
  for (let attempt = 1; ; attempt += 1) {
    const entry = await store.get<User>(userKey(username));
    if (!entry) throw notFound(`user '${username}' does not exist`);
    const next = change(entry.value);
    try {
      const changed = events.stamp(userChange(event.type, next), event.actor);
      await events.commit([{ operation: 'upsert', key: userKey(username), value: next, etag: entry.etag }], [changed]);
      return next;
    } catch (error) {
      if (!(error instanceof ConcurrencyConflictError) || attempt >= SAVE_ATTEMPTS) throw error;
    }
  }
};
