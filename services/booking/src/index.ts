export { createBookingService, type BookingService, type BookingServiceDeps } from './app';
export { loadBookingOptions, type BookingOptions } from './config';
export type { Scheduler } from './adapters/sweep-timer';
export type { Booking, BookingStatus, BookingSettings } from './domain';
