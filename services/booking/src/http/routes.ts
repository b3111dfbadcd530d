import { requireActor, type Operation } from '@sitter/platform';
import type { BookingUseCases } from '../domain';

export const bookingOperations = (bookings: BookingUseCases): Operation[] => [
  {
    method: 'POST',
    path: '/bookings',
    status: 201,
    handle: (request) => bookings.processBooking(requireActor(request), request.body, request.requestId),
  },
  {
    method: 'GET',
    path: '/bookings',
    handle: ({ actor, query: { customer, status, limit, after } }) =>
      bookings.listBookings(requireActor({ actor }), { customer, status, limit, after }),
  },
  {
    method: 'POST',
    path: '/bookings/queries',
    handle: (request) => bookings.queryBookings(requireActor(request), (request.body ?? {}) as Record<string, unknown>),
  },
  {
    method: 'GET',
    path: '/bookings/:id',
    handle: (request) => bookings.getBooking(requireActor(request), request.params.id),
  },
  {
    method: 'POST',
    path: '/bookings/:id/cancellation',
    handle: (request) => bookings.cancelBooking(requireActor(request), request.params.id, request.body),
  },
];
