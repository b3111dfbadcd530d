import type { Clock, EventLog, StateStore } from '@sitter/ports';
import type { Accounts } from './accounts';

/** What the job use cases run against. */
export interface JobDomain {
  store: StateStore;
  accounts: Accounts;
  clock: Clock;
  newId: () => string;
  /** Records every change of a job or an application as a domain event, in the change's transaction. */
  events: EventLog;
  /** Entries per `jobs-by-status` page (default 100); tests lower it to cross pages with few jobs. */
  jobIndexPageSize?: number;
}
