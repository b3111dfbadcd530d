import { ServiceUnavailableError, type Actor, type Invoker } from '@sitter/ports';
import { AppIds } from '@sitter/contracts';
import { actorHeaders } from '@sitter/platform';
import type { AccountStatus, Accounts } from '../domain';

/** Asks the user service, with the caller's identity, whether an account exists and is active. */
export class UserServiceAccounts implements Accounts {
  constructor(private readonly invoker: Invoker) {}

  async statusOf(actor: Actor, username: string): Promise<AccountStatus> {
    const response = await this.invoker.invoke<{ status?: unknown }>(AppIds.user, {
      method: 'GET',
      path: `/users/${encodeURIComponent(username)}`,
      headers: actorHeaders(actor),
    });
    // 400: the name is no username at all (the user service checks it), so no such account exists.
    if (response.status === 404 || response.status === 400) return 'MISSING';
    if (response.status !== 200) {
      throw new ServiceUnavailableError(AppIds.user, new Error(`GET /users/:username answered ${response.status}`));
    }
    return response.body?.status === 'DEACTIVATED' ? 'DEACTIVATED' : 'ACTIVE';
  }
}
