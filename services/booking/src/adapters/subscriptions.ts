import type { Subscriber } from '@sitter/ports';
import { Topics } from '@sitter/contracts';
import type { BookingUseCases } from '../domain';

/** The topics booking consumes. A handler that rejects is redelivered, then dead-lettered to `<topic>.dlq`. */
export const subscribeBookingHandlers = (subscriber: Subscriber, bookings: BookingUseCases): void => {
  subscriber.subscribe(Topics.paymentResults, (message) => bookings.onPaymentResult(message.data));
  subscriber.subscribe(Topics.bookingEvents, (message) => bookings.onBookingEvent(message.data));
};
