export { createBookingApp, type BookingServiceDeps } from './app';
export type { Booking, BookingStatus } from './domain';
