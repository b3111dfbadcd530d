import { requireActor, type Operation } from '@sitter/platform';
import type { BookingUseCases } from '../domain';

export const bookingOperations = (bookings: BookingUseCases): Operation[] => [
  {
    method: 'POST',
    path: '/bookings',
    status: 201,
    handle: (request) => bookings.createBooking(requireActor(request), request.body),
  },
  {
    method: 'GET',
    path: '/bookings/:id',
    handle: (request) => bookings.getBooking(requireActor(request), request.params.id),
  },
];
