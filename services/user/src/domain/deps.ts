import type { Clock, StateStore } from '@sitter/ports';

export interface UserDomainDeps {
  store: StateStore;
  clock: Clock;
}
