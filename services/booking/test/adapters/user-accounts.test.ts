import { ServiceUnavailableError } from '@sitter/ports';
import { EmbeddedRuntime } from '@sitter/embedded-runtime';
import { createLogger, UserServiceAccounts } from '@sitter/platform';
import { parent } from '../support/actors';
import { stubService } from '../support/stub-service';

const logger = createLogger('booking-test', 'silent');

const setup = () => {
  const runtime = new EmbeddedRuntime({ logger });
  const user = stubService();
  runtime.register('user', user.app);
  return { user, accounts: new UserServiceAccounts(runtime.invoker) };
};

describe('UserServiceAccounts', () => {
  it.each([
    ['VERIFIED', 'ACTIVE'],
    ['UNVERIFIED', 'ACTIVE'],
    ['DEACTIVATED', 'DEACTIVATED'],
  ])('when the user service answers a %s user, then the account is %s', async (status, expected) => {
    const { user, accounts } = setup();
    const caller = parent();
    user.answerWith(200, { username: caller.username, status });

    expect(await accounts.statusOf(caller, caller.username)).toBe(expected);
    expect(user.received[0]).toMatchObject({
      method: 'GET',
      path: `/users/${caller.username}`,
      headers: { 'x-sitter-username': caller.username, 'x-sitter-roles': 'PARENT' },
    });
  });

  it('when the user service answers 404, then the account is MISSING', async () => {
    const { user, accounts } = setup();
    user.answerWith(404, { code: 'NOT_FOUND', message: 'no such user' });

    expect(await accounts.statusOf(parent(), 'ghost')).toBe('MISSING');
  });

  it('when the user service answers 400 (the name is no username at all), then the account is MISSING', async () => {
    const { user, accounts } = setup();
    user.answerWith(400, { code: 'BAD_USER_INPUT', field: 'username', message: 'username must be ...' });

    expect(await accounts.statusOf(parent(), 'bob+1@example.com')).toBe('MISSING');
  });

  it('when the user service answers 500, then ServiceUnavailableError', async () => {
    const { user, accounts } = setup();
    user.answerWith(500, { code: 'INTERNAL', message: 'boom' });

    await expect(accounts.statusOf(parent(), 'someone')).rejects.toBeInstanceOf(ServiceUnavailableError);
  });

  it('when the user service is not reachable, then ServiceUnavailableError', async () => {
    const accounts = new UserServiceAccounts(new EmbeddedRuntime({ logger }).invoker);

    await expect(accounts.statusOf(parent(), 'someone')).rejects.toBeInstanceOf(ServiceUnavailableError);
  });
});
