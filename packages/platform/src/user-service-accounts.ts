import { UserRoutes } from '@sitter/contracts';
import { AppError, type Accounts, type AccountStatus, type Actor, type Invoker } from '@sitter/ports';
import { z } from 'zod';
import { ServiceCaller } from './service-caller';

const userBody = z.object({ status: z.string().optional() });

/** The Accounts port answered by the user service (`GET /users/:username`), asked as the caller. */
export class UserServiceAccounts implements Accounts {
  constructor(private readonly invoker: Invoker) {}

  async statusOf(actor: Actor, username: string): Promise<AccountStatus> {
    try {
      const user = await new ServiceCaller(this.invoker, { actor }).find(UserRoutes.getUser, {
        params: { username },
        answer: userBody,
      });
      if (!user) return 'MISSING';
      return user.status === 'DEACTIVATED' ? 'DEACTIVATED' : 'ACTIVE';
    } catch (error) {
      // BAD_USER_INPUT: the name is no username at all (the user service checks it), so no such account exists.
      if (error instanceof AppError && error.code === 'BAD_USER_INPUT') return 'MISSING';
      throw error;
    }
  }
}
