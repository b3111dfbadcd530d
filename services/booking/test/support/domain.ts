import { randomUUID } from 'node:crypto';
import { AppError, type Actor, type Clock } from '@sitter/ports';
import type { DeclineRequest } from '@sitter/contracts';
import { EmbeddedStateStore } from '@sitter/embedded-runtime';
import type {
  AccountStatus,
  Accounts,
  BookingDomainDeps,
  DeclineRequests,
  JobReservations,
  Reservation,
} from '../../src/domain';

/**
 * Stand-ins for the booking domain's own ports to other services (not for runtime parts):
 * they answer what the test scripted and record what they were asked. The component tests
 * run the real user and job services instead.
 */
export class AccountDirectory implements Accounts {
  private readonly statuses = new Map<string, AccountStatus>();

  set(username: string, status: AccountStatus): void {
    this.statuses.set(username, status);
  }

  async statusOf(_actor: Actor, username: string): Promise<AccountStatus> {
    return this.statuses.get(username) ?? 'MISSING';
  }
}

export interface ReservationCall {
  actor: Actor;
  jobId: string;
  applicationId: string;
}

export class ScriptedReservations implements JobReservations {
  readonly reserved: ReservationCall[] = [];
  readonly released: ReservationCall[] = [];
  private readonly answers = new Map<string, Reservation | AppError>();

  answer(jobId: string, outcome: Reservation | AppError): void {
    this.answers.set(jobId, outcome);
  }

  async reserve(actor: Actor, jobId: string, applicationId: string): Promise<Reservation> {
    this.reserved.push({ actor, jobId, applicationId });
    const outcome = this.answers.get(jobId);
    if (!outcome) throw new AppError('NOT_FOUND', `job ${jobId} not found`);
    if (outcome instanceof AppError) throw outcome;
    return outcome;
  }

  async release(actor: Actor, jobId: string, applicationId: string): Promise<void> {
    this.released.push({ actor, jobId, applicationId });
  }
}

export class RecordedDeclines implements DeclineRequests {
  readonly requested: DeclineRequest[] = [];

  async request(decline: DeclineRequest): Promise<void> {
    this.requested.push(decline);
  }
}

export const fixedClock: Clock = { now: () => new Date('2030-05-06T07:08:09.000Z') };

export const testDomain = (newId: () => string = randomUUID) => {
  const deps = {
    store: new EmbeddedStateStore(),
    accounts: new AccountDirectory(),
    reservations: new ScriptedReservations(),
    declines: new RecordedDeclines(),
    clock: fixedClock,
    newId,
  } satisfies BookingDomainDeps;
  return deps;
};

export const parent = (username = `parent-${randomUUID().slice(0, 8)}`): Actor => ({ username, roles: ['PARENT'] });
export const nanny = (username = `nanny-${randomUUID().slice(0, 8)}`): Actor => ({ username, roles: ['NANNY'] });
export const admin = (username = `admin-${randomUUID().slice(0, 8)}`): Actor => ({ username, roles: ['ADMIN'] });

/** The AppError the work rejected with; fails the test when it resolved or threw something else. */
export const rejection = async (work: Promise<unknown>): Promise<AppError> => {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
};
