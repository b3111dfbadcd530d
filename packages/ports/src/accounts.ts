import type { Actor } from './actor';

export type AccountStatus = 'ACTIVE' | 'DEACTIVATED' | 'MISSING';

/** What the other services need to know about user accounts, which the user service owns. */
export interface Accounts {
  /** Asked on behalf of `actor`, whose identity travels with the question. */
  statusOf(actor: Actor, username: string): Promise<AccountStatus>;
}
