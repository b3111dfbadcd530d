import type { Accounts, Actor, Clock, EventLog, Publisher, StateStore } from '@sitter/ports';

export type { Accounts, AccountStatus } from '@sitter/ports';

export interface JobSummary {
  id: string;
  owner: string;
  status: 'OPEN' | 'CLOSED';
  /** Decimal text, e.g. "120.00". */
  cost: string;
}

export interface ApplicationSummary {
  id: string;
  nanny: string;
  status: 'PENDING' | 'ACCEPTED' | 'DECLINED';
}

export type ReserveOutcome =
  | { reserved: true; otherPendingApplicationIds: string[] }
  /** The job service said no (409 and the like); the reason is its message. */
  | { reserved: false; reason: string };

/**
 * The job service, called on behalf of `actor` (the booking's customer, who owns the job).
 * An unreachable or failing job service rejects with ServiceUnavailableError.
 */
export interface JobService {
  findJob(actor: Actor, jobId: string): Promise<JobSummary | undefined>;
  /** Rejects with the job service's AppError (FORBIDDEN, NOT_FOUND) when it refuses. */
  listApplications(actor: Actor, jobId: string): Promise<ApplicationSummary[]>;
  /** Closes the job and accepts the application in one step; exactly one reservation per job wins. */
  reserve(actor: Actor, jobId: string, applicationId: string): Promise<ReserveOutcome>;
  /** Reopens the job and puts the application back to PENDING; resolves too when there is nothing to undo. */
  release(actor: Actor, jobId: string, applicationId: string): Promise<void>;
}

/** Structured log lines; values must never include a payment token. */
export interface Log {
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

export interface BookingSettings {
  /** A booking not confirmed this long after it was made is cancelled. */
  paymentDeadlineMs: number;
  /** How long after a step should have run the scheduler runs it again (after a crash or a failure). */
  stepRetryMs: number;
  /** ISO 4217 currency of job costs. */
  currency: string;
  /**
   * How long a replica's hold on a booking lasts without renewal (it renews while it works): a replica that
   * dies mid-step is taken over this much later.
   */
  leaseTtlMs: number;
}

export const defaultBookingSettings: BookingSettings = {
  paymentDeadlineMs: 15 * 60 * 1000,
  stepRetryMs: 30 * 1000,
  currency: 'GBP',
  leaseTtlMs: 10 * 1000,
};

export interface BookingDomainDeps {
  store: StateStore;
  publisher: Publisher;
  accounts: Accounts;
  jobs: JobService;
  clock: Clock;
  log: Log;
  newId: () => string;
  newReference: () => string;
  settings: BookingSettings;
  /** Records every change of what a booking shows as a domain event, in the change's transaction. */
  events: EventLog;
}
