import type { Clock, StateStore } from '@sitter/ports';
import type { Accounts } from './accounts';

/** What the job use cases run against. */
export interface JobDomain {
  store: StateStore;
  accounts: Accounts;
  clock: Clock;
  newId: () => string;
  /** Entries per `jobs-by-status` page (default 100); tests lower it to cross pages with few jobs. */
  jobIndexPageSize?: number;
}
