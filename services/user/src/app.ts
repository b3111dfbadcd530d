import { UserRoutes } from '@sitter/contracts';
import type express from 'express';
import { systemClock, type Clock, type Invoker, type Publisher, type StateStore, type Subscriber } from '@sitter/ports';
import { createServiceApp, eventOperations, serviceEventLog, type ServiceHosting } from '@sitter/platform';
import { createUserUseCases } from './domain';
import { userOperations } from './http/routes';

export interface UserServiceDeps extends ServiceHosting {
  store: StateStore;
  publisher: Publisher;
  subscriber: Subscriber;
  invoker: Invoker;
  clock?: Clock;
}

export const createUserApp = (deps: UserServiceDeps): express.Express => {
  const clock = deps.clock ?? systemClock;
  const events = serviceEventLog({ store: deps.store, publisher: deps.publisher, clock, logger: deps.logger });
  const users = createUserUseCases({ store: deps.store, clock, events });
  const operations = [...userOperations(users), ...eventOperations(deps.store, UserRoutes)];
  return createServiceApp(deps.logger, operations, deps.readiness, deps.runtimeRouters);
};
