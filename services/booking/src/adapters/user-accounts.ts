import { actorHeaders } from '@sitter/platform';
import { ServiceUnavailableError, type Actor, type Invoker } from '@sitter/ports';
import { AppIds } from '@sitter/contracts';
import type { AccountStatus, Accounts } from '../domain';
import { reach } from './remote-errors';

/** Asks the user service, as the caller, whether an account exists and is not deactivated. */
export class UserServiceAccounts implements Accounts {
  constructor(private readonly invoker: Invoker) {}

  async statusOf(actor: Actor, username: string): Promise<AccountStatus> {
    const response = await reach(AppIds.user, () =>
      this.invoker.invoke<{ status?: unknown }>(AppIds.user, {
        method: 'GET',
        path: `/users/${encodeURIComponent(username)}`,
        headers: actorHeaders(actor),
      }),
    );
    // 400: the name is no username at all (the user service checks it), so no such account exists.
    if (response.status === 404 || response.status === 400) return 'MISSING';
    if (response.status !== 200) {
      throw new ServiceUnavailableError(AppIds.user, new Error(`GET /users/:username answered ${response.status}`));
    }
    return response.body?.status === 'DEACTIVATED' ? 'DEACTIVATED' : 'ACTIVE';
  }
}
