import { randomUUID } from 'node:crypto';
import { AppError, createEventLog, type Actor, type Clock } from '@sitter/ports';
import { EmbeddedStateStore } from '@sitter/embedded-runtime';
import {
  applyToJob,
  createJob,
  type AccountStatus,
  type CreateJobInput,
  type JobApplication,
  type JobDomain,
} from '../../src/domain';

/** A clock that moves one millisecond per reading, so creation order is also time order. */
export const steppingClock = (start = Date.parse('2030-01-01T08:00:00.000Z')): Clock => {
  let next = start;
  return { now: () => new Date(next++) };
};

/**
 * The domain on a real embedded state store. The account directory stands in for the user
 * service (our own port, not a real part); the HTTP tests use the real user service.
 */
export const testDomain = (
  accounts: Record<string, AccountStatus> = {},
  clock: Clock = steppingClock(),
): JobDomain & { store: EmbeddedStateStore; accounts: { set(username: string, status: AccountStatus): void } } => {
  const directory = new Map(Object.entries(accounts));
  const store = new EmbeddedStateStore();
  return {
    store,
    accounts: {
      statusOf: async (_actor, username) => directory.get(username) ?? 'MISSING',
      set: (username, status) => directory.set(username, status),
    },
    clock,
    newId: randomUUID,
    events: createEventLog({ store, clock, newId: randomUUID, requestId: () => undefined }),
  };
};

export const parent = (username = `parent-${randomUUID()}`): Actor => ({ username, roles: ['PARENT'] });
export const nanny = (username = `nanny-${randomUUID()}`): Actor => ({ username, roles: ['NANNY'] });
export const admin = (username = `admin-${randomUUID()}`): Actor => ({ username, roles: ['ADMIN'] });

/** Every field differs from every other, so a value copied into the wrong field shows. */
export const jobInput = (overrides: Partial<Record<keyof CreateJobInput, unknown>> = {}): CreateJobInput =>
  ({
    jobType: 'DAILY',
    startDate: '2030-03-04',
    endDate: '2030-03-09',
    startTime: '08:15',
    endTime: '17:45',
    address: '12 Rue des Lilas',
    city: 'Lyon',
    latitude: 45.764,
    longitude: 4.8357,
    cost: '120.50',
    ...overrides,
  }) as CreateJobInput;

export const expectAppError = async (work: Promise<unknown>, code: AppError['code'], field?: string) => {
  const error = await work.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AppError);
  expect(error).toMatchObject(field === undefined ? { code } : { code, field });
  return error as AppError;
};

/** Gives the actor an ACTIVE account in the test directory. */
export const withAccount = <A extends Actor>(domain: ReturnType<typeof testDomain>, actor: A): A => {
  domain.accounts.set(actor.username, 'ACTIVE');
  return actor;
};

/** A parent's new job with `count` applications, each from a nanny of its own. */
export const jobWithApplications = async (domain: ReturnType<typeof testDomain>, count: number) => {
  const owner = withAccount(domain, parent());
  const job = await createJob(domain, owner, jobInput());
  const applications: JobApplication[] = [];
  for (let i = 0; i < count; i += 1) applications.push(await applyToJob(domain, withAccount(domain, nanny()), job.id));
  return { owner, job, applications };
};
