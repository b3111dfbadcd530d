import type { Clock, EventLog, StateStore } from '@sitter/ports';

export interface UserDomainDeps {
  store: StateStore;
  clock: Clock;
  /** Records every change of a profile as a domain event, in the change's transaction. */
  events: EventLog;
}
