export { createBookingService, type BookingService, type BookingServiceDeps } from './app';
export { loadBookingOptions, type BookingOptions } from './config';
export { bookingOperations } from './http/routes';
export type { Scheduler } from './adapters/sweep-timer';
export type { Booking, BookingStatus, BookingSettings } from './domain';
