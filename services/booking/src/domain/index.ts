import { createBooking } from './create-booking';
import { getBooking } from './get-booking';
import type { BookingDomainDeps } from './ports';

export * from './booking';
export * from './ports';
export type { CreateBookingInput } from './validation';

/** The booking service's use cases, bound to their dependencies. */
export const createBookingUseCases = (deps: BookingDomainDeps) => ({
  createBooking: createBooking(deps),
  getBooking: getBooking(deps),
});

export type BookingUseCases = ReturnType<typeof createBookingUseCases>;
