import express, { type Router } from 'express';
import { requireActor, route } from '@sitter/platform';
import type { BookingUseCases } from '../domain';

export const bookingRoutes = (bookings: BookingUseCases): Router => {
  const router = express.Router();

  router.post(
    '/bookings',
    route(async (req, res) => {
      res.status(201).json(await bookings.createBooking(requireActor(req), req.body));
    }),
  );

  router.get(
    '/bookings/:id',
    route(async (req, res) => {
      res.json(await bookings.getBooking(requireActor(req), String(req.params.id)));
    }),
  );

  return router;
};
