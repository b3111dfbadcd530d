import { forbidden, type Accounts, type Actor } from '@sitter/ports';

export type { Accounts, AccountStatus } from '@sitter/ports';

export const requireActiveAccount = async (accounts: Accounts, actor: Actor): Promise<void> => {
  const status = await accounts.statusOf(actor, actor.username);
  if (status === 'MISSING') throw forbidden('create your user profile first');
  if (status === 'DEACTIVATED') throw forbidden('your account is deactivated');
};
