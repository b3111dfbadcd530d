import { BookingRoutes } from '@sitter/contracts';
import { randomUUID } from 'node:crypto';
import type express from 'express';
import { systemClock, type Clock, type Invoker, type Publisher, type StateStore, type Subscriber } from '@sitter/ports';
import {
  createServiceApp,
  eventOperations,
  serviceEventLog,
  UserServiceAccounts,
  type ServiceHosting,
} from '@sitter/platform';
import { createBookingUseCases, defaultBookingSettings, randomBookingReference, type BookingSettings } from './domain';
import { JobServiceClient } from './adapters/job-service';
import { subscribeBookingHandlers } from './adapters/subscriptions';
import { sweepTimer, type Scheduler } from './adapters/sweep-timer';
import { bookingOperations } from './http/routes';

export interface BookingServiceDeps extends ServiceHosting {
  store: StateStore;
  publisher: Publisher;
  subscriber: Subscriber;
  invoker: Invoker;
  clock?: Clock;
  /** Booking ids; random UUIDs unless a test needs to know them in advance. */
  newId?: () => string;
  newReference?: () => string;
  settings?: Partial<BookingSettings>;
  /** How often the scheduler looks for due bookings (15 s). */
  sweepIntervalMs?: number;
}

export interface BookingService {
  app: express.Express;
  /** Start after the runtime delivers messages; stop before it stops. */
  scheduler: Scheduler;
}

/** The booking app, its subscriptions (registered now) and its scheduler (started by the caller). */
export const createBookingService = (deps: BookingServiceDeps): BookingService => {
  const clock = deps.clock ?? systemClock;
  const bookings = createBookingUseCases({
    store: deps.store,
    events: serviceEventLog({ store: deps.store, publisher: deps.publisher, clock, logger: deps.logger }),
    publisher: deps.publisher,
    accounts: new UserServiceAccounts(deps.invoker),
    jobs: new JobServiceClient(deps.invoker),
    clock,
    log: deps.logger,
    newId: deps.newId ?? randomUUID,
    newReference: deps.newReference ?? randomBookingReference,
    settings: { ...defaultBookingSettings, ...deps.settings },
  });
  subscribeBookingHandlers(deps.subscriber, bookings);
  return {
    app: createServiceApp(
      deps.logger,
      [...bookingOperations(bookings), ...eventOperations(deps.store, BookingRoutes)],
      deps.readiness,
      deps.runtimeRouters,
    ),
    scheduler: sweepTimer(bookings.sweeper, deps.sweepIntervalMs ?? 15_000, deps.logger),
  };
};
