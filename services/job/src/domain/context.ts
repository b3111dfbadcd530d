import type { Clock, StateStore } from '@sitter/ports';
import type { Accounts } from './accounts';

/** What the job use cases run against. */
export interface JobDomain {
  store: StateStore;
  accounts: Accounts;
  clock: Clock;
  newId: () => string;
}
