import type { Actor } from '@sitter/ports';
import type { BookingRecord } from './booking';
import { BookingLeases } from './booking-leases';
import { BookingMessages } from './messages';
import type { BookingDomainDeps } from './ports';
import { BookingRepository } from './repository';

/** What the use cases share: their dependencies plus the repository, the messages and the per-booking leases. */
export interface BookingContext extends BookingDomainDeps {
  repository: BookingRepository;
  messages: BookingMessages;
  leases: BookingLeases;
}

export const createContext = (deps: BookingDomainDeps): BookingContext => ({
  ...deps,
  repository: new BookingRepository(deps.store, deps.clock, deps.settings.stepRetryMs, deps.events),
  messages: new BookingMessages(deps.publisher),
  leases: new BookingLeases(deps.store, deps.settings.leaseTtlMs),
});

/**
 * Saga steps call the job service as the booking's customer: the job service lets only a job's
 * owner reserve or release it, and the customer is that owner.
 */
export const customerOf = (record: BookingRecord): Actor => ({ username: record.customer, roles: ['PARENT'] });

export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));
