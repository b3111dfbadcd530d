import { JobRoutes } from '@sitter/contracts';
import { randomUUID } from 'node:crypto';
import type express from 'express';
import { systemClock, type Clock, type Invoker, type Publisher, type StateStore } from '@sitter/ports';
import {
  createServiceApp,
  eventOperations,
  serviceEventLog,
  UserServiceAccounts,
  type ServiceHosting,
} from '@sitter/platform';
import type { JobDomain } from './domain';
import { jobOperations } from './http/routes';

export interface JobServiceDeps extends ServiceHosting {
  store: StateStore;
  invoker: Invoker;
  /** Where committed domain events are published for live subscribers; none: the trail only. */
  publisher?: Publisher;
  clock?: Clock;
}

/**
 * The job service: its HTTP routes. It subscribes to nothing: the decliner consumes decline
 * requests and calls `POST /applications/:id/decline`.
 */
export const createJobApp = (deps: JobServiceDeps): express.Express => {
  const clock = deps.clock ?? systemClock;
  const domain: JobDomain = {
    store: deps.store,
    accounts: new UserServiceAccounts(deps.invoker),
    clock,
    newId: randomUUID,
    events: serviceEventLog({ store: deps.store, publisher: deps.publisher, clock, logger: deps.logger }),
  };
  const operations = [...jobOperations(domain), ...eventOperations(deps.store, JobRoutes)];
  return createServiceApp(deps.logger, operations, deps.readiness, deps.runtimeRouters);
};
