import { BookingRoutes } from '@sitter/contracts';
import { requireActor, type Operation } from '@sitter/platform';
import type { BookingUseCases } from '../domain';

export const bookingOperations = (bookings: BookingUseCases): Operation[] => [
  {
    ...BookingRoutes.bookNanny,
    status: 201,
    handle: (request) => bookings.processBooking(requireActor(request), request.body, request.requestId),
  },
  {
    ...BookingRoutes.listBookings,
    handle: ({ actor, query: { customer, status, limit, after } }) =>
      bookings.listBookings(requireActor({ actor }), { customer, status, limit, after }),
  },
  {
    ...BookingRoutes.queryBookings,
    handle: (request) => bookings.queryBookings(requireActor(request), (request.body ?? {}) as Record<string, unknown>),
  },
  {
    ...BookingRoutes.getBooking,
    handle: (request) => bookings.getBooking(requireActor(request), request.params.id),
  },
  {
    ...BookingRoutes.cancelBooking,
    handle: (request) => bookings.cancelBooking(requireActor(request), request.params.id, request.body),
  },
];
