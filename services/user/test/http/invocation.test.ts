import { EmbeddedRuntime } from '@sitter/embedded-runtime';
import { createLogger } from '@sitter/platform';
import { createUserApp } from '../../src';
import { signUpInput, uniqueUsername } from '../support/fixtures';

const caller = (username: string, roles = 'PARENT') => ({ 'x-sitter-username': username, 'x-sitter-roles': roles });

describe('the user app behind service invocation', () => {
  it('when another app signs up and reads a user by app id, then it gets the user back', async () => {
    const logger = createLogger('user-test', 'silent');
    const runtime = new EmbeddedRuntime({ logger });
    runtime.register('user', createUserApp({ ...(await runtime.sidecar('user')), logger }));
    await runtime.start();
    const username = uniqueUsername();

    const created = await runtime.invoker.invoke('user', {
      method: 'POST',
      path: '/users',
      headers: caller(username),
      body: signUpInput(username),
    });
    const read = await runtime.invoker.invoke<{ username: string; status: string }>('user', {
      method: 'GET',
      path: `/users/${encodeURIComponent(username)}`,
      headers: caller('job-service-caller', 'NANNY'),
    });

    expect(created.status).toBe(201);
    expect(read).toMatchObject({ status: 200, body: { username, status: 'UNVERIFIED' } });
    await runtime.stop();
  });
});
