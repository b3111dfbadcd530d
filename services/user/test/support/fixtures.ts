import { randomUUID } from 'node:crypto';
import { AppError, createEventLog, type Actor, type Clock, type Role, type StateStore } from '@sitter/ports';
import { createUserUseCases } from '../../src/domain';

/** A clock the test moves by hand, so timestamps are known exactly. */
export class ManualClock implements Clock {
  constructor(private current = new Date('2025-06-01T12:00:00.000Z')) {}

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export const uniqueUsername = (prefix = 'user'): string => `${prefix}-${randomUUID().slice(0, 8)}`;

/** A caller; a PARENT unless roles are given, as sign-up inputs are PARENT profiles unless told otherwise. */
export const actor = (username: string, ...roles: Role[]): Actor => ({
  username,
  roles: roles.length > 0 ? roles : ['PARENT'],
});

export const admin = (): Actor => actor(uniqueUsername('admin'), 'ADMIN');

export const signUpInput = (username: string, overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  username,
  email: `${username}@example.com`,
  type: 'PARENT',
  firstName: 'Ada',
  lastName: 'Lovelace',
  ...overrides,
});

/** The AppError a use case rejected with; fails the test when it resolved or threw something else. */
export const rejection = async (work: Promise<unknown>): Promise<AppError> => {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
};

/** The user use cases on a store, recording events as the service does (without publishing them). */
export const userUseCasesOn = (store: StateStore, clock: Clock) =>
  createUserUseCases({
    store,
    clock,
    events: createEventLog({ store, clock, newId: randomUUID, requestId: () => undefined }),
  });
