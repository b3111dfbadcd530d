import { randomUUID } from 'node:crypto';
import type express from 'express';
import { systemClock, type Clock, type Invoker, type Publisher, type StateStore, type Subscriber } from '@sitter/ports';
import { createServiceApp, type Logger } from '@sitter/platform';
import { createBookingUseCases } from './domain';
import { JobServiceReservations } from './adapters/job-reservations';
import { PublishedDeclines } from './adapters/published-declines';
import { UserServiceAccounts } from './adapters/user-accounts';
import { bookingOperations } from './http/routes';

export interface BookingServiceDeps {
  store: StateStore;
  publisher: Publisher;
  subscriber: Subscriber;
  invoker: Invoker;
  logger: Logger;
  clock?: Clock;
  /** Booking ids; random UUIDs unless a test needs to know them in advance. */
  newId?: () => string;
}

export const createBookingApp = (deps: BookingServiceDeps): express.Express => {
  const bookings = createBookingUseCases({
    store: deps.store,
    declines: new PublishedDeclines(deps.publisher, deps.logger),
    accounts: new UserServiceAccounts(deps.invoker),
    reservations: new JobServiceReservations(deps.invoker, deps.logger),
    clock: deps.clock ?? systemClock,
    newId: deps.newId ?? randomUUID,
  });
  return createServiceApp(deps.logger, bookingOperations(bookings));
};
