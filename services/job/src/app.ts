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
import type { Accounts, JobDomain } from './domain';
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
  const domain = createJobDomain({ ...deps, accounts: new UserServiceAccounts(deps.invoker) });
  const operations = [...jobOperations(domain), ...eventOperations(deps.store, JobRoutes)];
  return createServiceApp(deps.logger, operations, deps.readiness, deps.runtimeRouters);
};

/**
 * What the job use cases run against, as the service builds it: its store, the accounts it asks, its clock and its
 * event log (published on `publisher` when given). Exported so that what is written outside a request (the growth
 * benchmark's seeding, bench/growth.ts) is exactly what the service writes.
 */
export const createJobDomain = (deps: {
  store: StateStore;
  accounts: Accounts;
  publisher?: Publisher;
  clock?: Clock;
  logger?: ServiceHosting['logger'];
}): JobDomain => {
  const clock = deps.clock ?? systemClock;
  return {
    store: deps.store,
    accounts: deps.accounts,
    clock,
    newId: randomUUID,
    events: serviceEventLog({ store: deps.store, publisher: deps.publisher, clock, logger: deps.logger }),
  };
};
