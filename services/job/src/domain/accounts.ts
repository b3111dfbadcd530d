import { forbidden, type Actor } from '@sitter/ports';

export type AccountStatus = 'ACTIVE' | 'DEACTIVATED' | 'MISSING';

/** What the job service needs to know about user accounts, which the user service owns. */
export interface Accounts {
  /** Asked on behalf of `actor`, whose identity travels with the question. */
  statusOf(actor: Actor, username: string): Promise<AccountStatus>;
}

export const requireActiveAccount = async (accounts: Accounts, actor: Actor): Promise<void> => {
  const status = await accounts.statusOf(actor, actor.username);
  if (status === 'MISSING') throw forbidden('create your user profile first');
  if (status === 'DEACTIVATED') throw forbidden('your account is deactivated');
};
