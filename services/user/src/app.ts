import type express from 'express';
import { systemClock, type Clock, type Invoker, type Publisher, type StateStore, type Subscriber } from '@sitter/ports';
import { createServiceApp, type ServiceHosting } from '@sitter/platform';
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
  const users = createUserUseCases({ store: deps.store, clock: deps.clock ?? systemClock });
  return createServiceApp(deps.logger, userOperations(users), deps.readiness, deps.runtimeRouters);
};
