import {
  ConcurrencyConflictError,
  badInput,
  conflict,
  forbidden,
  hasRole,
  type Actor,
  type StateStore,
  parseInput,
  retryOnConflict,
} from '@sitter/ports';
import type { UserDomainDeps } from './deps';
import type { User } from './user';
import { emailKey, userChange, userKey, type EmailRecord } from './user-records';
import { createUserSchema } from './validation';

/**
 * Signs the caller up. The username and the (lower-cased) email are claimed in one transaction,
 * each only if absent, so two racing sign-ups can never both take either of them. The username is
 * canonical (lower case) and the caller's too, so `Alice` and `alice` are one account. The profile's
 * type must be one of the caller's roles: a PARENT token makes a PARENT profile, never a NANNY one,
 * and the ADMIN role alone makes neither.
 */
export const createUser =
  ({ store, clock, events }: UserDomainDeps) =>
  async (actor: Actor, input: unknown): Promise<User> => {
    const data = parseInput(createUserSchema, input);
    if (data.username !== actor.username) throw forbidden('you can only create your own user');
    if (!hasRole(actor, data.type)) throw forbidden(`a ${data.type} profile needs the ${data.type} role`);
    const now = clock.now();
    if (data.dateOfBirth !== undefined && data.dateOfBirth >= now.toISOString().slice(0, 10)) {
      throw badInput('dateOfBirth', 'dateOfBirth must be in the past');
    }
    const timestamp = now.toISOString();
    const user: User = { ...withoutUndefined(data), status: 'UNVERIFIED', createdOn: timestamp, updatedOn: timestamp };
    const emailRecord: EmailRecord = { username: user.username };
    const created = events.stamp(userChange('USER_CREATED', user), actor.username, now);
    // A conflict that is not the username or the email (a shared event index) is tried again.
    await retryOnConflict('the sign-ups', async () => {
      try {
        await events.commit(
          [
            { operation: 'upsert', key: userKey(user.username), value: user, onlyIfAbsent: true },
            { operation: 'upsert', key: emailKey(user.email), value: emailRecord, onlyIfAbsent: true },
          ],
          [created],
        );
      } catch (error) {
        if (error instanceof ConcurrencyConflictError) await explainConflict(store, user);
        throw error;
      }
    });
    return user;
  };

const explainConflict = async (store: StateStore, user: User): Promise<void> => {
  const taken = await store.getBulk([userKey(user.username), emailKey(user.email)]);
  if (taken.has(userKey(user.username))) throw conflict(`username '${user.username}' is already taken`);
  if (taken.has(emailKey(user.email))) throw conflict(`email '${user.email}' is already registered`);
};

const withoutUndefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, inner]) => inner !== undefined)) as T;
