import type { Actor, Clock, StateStore } from '@sitter/ports';
import type { DeclineRequest } from '@sitter/contracts';

export type AccountStatus = 'ACTIVE' | 'DEACTIVATED' | 'MISSING';

/** What booking needs to know about accounts, which the user service owns. */
export interface Accounts {
  /** Asked on behalf of `actor`, whose identity travels with the question. */
  statusOf(actor: Actor, username: string): Promise<AccountStatus>;
}

export interface Reservation {
  /** The nanny of the application that was accepted. */
  nanny: string;
  /** The job's other applications that were still pending when the job closed. */
  otherPendingApplicationIds: string[];
}

/**
 * The job service's reservation of one application, on behalf of the job's owner. Refusals
 * arrive as AppErrors with the job service's code; an unreachable job service as
 * ServiceUnavailableError.
 */
export interface JobReservations {
  reserve(actor: Actor, jobId: string, applicationId: string): Promise<Reservation>;
  /**
   * Undoes a reservation whose booking could not be stored. Best effort: it never rejects,
   * and reports its own failure, so the error that made it necessary is the one the caller sees.
   */
  release(actor: Actor, jobId: string, applicationId: string): Promise<void>;
}

/**
 * Asks for one application to be declined (the `job-applications.declines` topic). Best effort:
 * the booking is already stored when this runs, so a failure is reported, never thrown.
 */
export interface DeclineRequests {
  request(decline: DeclineRequest): Promise<void>;
}

export interface BookingDomainDeps {
  store: StateStore;
  declines: DeclineRequests;
  accounts: Accounts;
  reservations: JobReservations;
  clock: Clock;
  newId: () => string;
}
