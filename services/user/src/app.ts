import type express from 'express';
import { systemClock, type Clock, type Invoker, type Publisher, type StateStore, type Subscriber } from '@sitter/ports';
import { createServiceApp, type Logger, type Readiness } from '@sitter/platform';
import { createUserUseCases } from './domain';
import { userOperations } from './http/routes';

export interface UserServiceDeps {
  store: StateStore;
  publisher: Publisher;
  subscriber: Subscriber;
  invoker: Invoker;
  logger: Logger;
  /** For /readyz: whether the runtime can serve (the Dapr sidecar's readiness); always ready by default. */
  readiness?: Readiness;
  /** Routers the runtime adds to the app, e.g. the Dapr subscriber's `/dapr/subscribe` and event routes. */
  runtimeRouters?: readonly express.Router[];
  clock?: Clock;
}

export const createUserApp = (deps: UserServiceDeps): express.Express => {
  const users = createUserUseCases({ store: deps.store, clock: deps.clock ?? systemClock });
  return createServiceApp(deps.logger, userOperations(users), deps.readiness, deps.runtimeRouters);
};
