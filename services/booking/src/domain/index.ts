import { handleBookingEvent } from './booking-events';
import { cancelBooking } from './cancel-booking';
import { createContext } from './context';
import { getBooking } from './get-booking';
import { listBookings } from './list-bookings';
import { queryBookings } from './query-bookings';
import { handlePaymentResult } from './payment-results';
import type { BookingDomainDeps } from './ports';
import { processBooking } from './process-booking';
import { advanceBooking } from './saga';
import { bookingSweeper } from './scheduler';

export * from './booking';
export * from './ports';
export type { Sweeper, SweepOptions } from './scheduler';
export { nextStep, isSettled, nextCheckAt, type Step } from './steps';
export { maskPaymentToken } from './payment-token';
export { randomBookingReference } from './reference';
export { MalformedMessageError, withPaymentResult } from './payment-results';
export type { BookingPage } from './list-bookings';
export type { ProcessBookingInput } from './validation';

/** The booking service's use cases and message handlers, bound to their dependencies. */
export const createBookingUseCases = (deps: BookingDomainDeps) => {
  const context = createContext(deps);
  const advance = advanceBooking(context);
  return {
    processBooking: processBooking(context),
    cancelBooking: cancelBooking(context, advance),
    getBooking: getBooking(context),
    listBookings: listBookings(context),
    queryBookings: queryBookings(context),
    onPaymentResult: handlePaymentResult(context, advance),
    onBookingEvent: handleBookingEvent(advance),
    advance,
    sweeper: bookingSweeper(context, advance),
  };
};

export type BookingUseCases = ReturnType<typeof createBookingUseCases>;
