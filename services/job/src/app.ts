import { randomUUID } from 'node:crypto';
import type express from 'express';
import { systemClock, type Clock, type Invoker, type Publisher, type StateStore, type Subscriber } from '@sitter/ports';
import { Topics } from '@sitter/contracts';
import { createServiceApp, type Logger } from '@sitter/platform';
import type { JobDomain } from './domain';
import { UserServiceAccounts } from './adapters/user-accounts';
import { declinesSubscription } from './adapters/declines-subscription';
import { jobOperations } from './http/routes';

export interface JobServiceDeps {
  store: StateStore;
  publisher: Publisher;
  subscriber: Subscriber;
  invoker: Invoker;
  logger: Logger;
  clock?: Clock;
}

/** The job service: its HTTP routes and its subscription to decline requests. */
export const createJobApp = (deps: JobServiceDeps): express.Express => {
  const domain: JobDomain = {
    store: deps.store,
    accounts: new UserServiceAccounts(deps.invoker),
    clock: deps.clock ?? systemClock,
    newId: randomUUID,
  };
  deps.subscriber.subscribe(Topics.applicationDeclines, declinesSubscription(domain, deps.logger));
  return createServiceApp(deps.logger, jobOperations(domain));
};
