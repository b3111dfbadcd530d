import { randomUUID } from 'node:crypto';
import type express from 'express';
import { systemClock, type Clock, type Invoker, type StateStore } from '@sitter/ports';
import { createServiceApp, UserServiceAccounts, type ServiceHosting } from '@sitter/platform';
import type { JobDomain } from './domain';
import { jobOperations } from './http/routes';

export interface JobServiceDeps extends ServiceHosting {
  store: StateStore;
  invoker: Invoker;
  clock?: Clock;
}

/**
 * The job service: its HTTP routes. It subscribes to nothing: the decliner consumes decline
 * requests and calls `POST /applications/:id/decline`.
 */
export const createJobApp = (deps: JobServiceDeps): express.Express => {
  const domain: JobDomain = {
    store: deps.store,
    accounts: new UserServiceAccounts(deps.invoker),
    clock: deps.clock ?? systemClock,
    newId: randomUUID,
  };
  return createServiceApp(deps.logger, jobOperations(domain), deps.readiness, deps.runtimeRouters);
};
