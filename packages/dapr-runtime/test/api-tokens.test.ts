import { rmSync } from 'node:fs';
import path from 'node:path';
import { Components } from '@sitter/contracts';
import { unique } from '@sitter/ports/contract/wait-for';
import { describeWithInfra, makeTempDir, startDaprd, writeDaprResources, type Daprd } from '@sitter/infra-harness';
import { createLogger } from '@sitter/platform';
import { daprSidecar, requireAppToken } from '../src';
import { serveLocally, type LocalApp } from './local-app';

const describeReal = describeWithInfra(['daprd']);

const logger = createLogger('dapr-api-tokens-test', 'silent');

/** One daprd holding both tokens (DAPR_API_TOKEN for its API, APP_API_TOKEN for its app), in front of a guarded app. */
describeReal('Dapr API tokens, on both sides of a real sidecar', () => {
  const appId = unique('tokens-app');
  const apiToken = unique('api-token');
  const appToken = unique('app-token');
  let dir: string;
  let app: LocalApp;
  let daprd: Daprd;

  beforeAll(async () => {
    dir = makeTempDir('dapr-api-tokens');
    app = await serveLocally(
      requireAppToken((request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ served: request.url }));
      }, appToken),
    );
    daprd = await startDaprd({
      appId,
      appPort: app.port,
      resourcesPath: writeDaprResources(path.join(dir, 'resources'), {
        apps: [appId],
        components: ['stateStore'],
        stateStore: { type: 'sqlite', databaseFile: path.join(dir, 'state.db') },
      }),
      env: { DAPR_API_TOKEN: apiToken, APP_API_TOKEN: appToken },
    });
  }, 120_000);

  afterAll(async () => {
    await daprd?.stop();
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('when the adapters hold the API token, then a state write and an invocation of the guarded app work', async () => {
    // Arrange
    const sidecar = daprSidecar(appId, { daprHttpPort: daprd.httpPort, apiToken, logger, stateLockStore: null });
    const key = unique('with-token');

    // Act
    await sidecar.store.save(key, { token: 'sent' });
    const invoked = await sidecar.invoker.invoke<{ served: string }>(appId, { method: 'GET', path: '/orders/1' });

    // Assert
    expect((await sidecar.store.get(key))?.value).toEqual({ token: 'sent' });
    expect(invoked).toEqual({ status: 200, body: { served: '/orders/1' } });
  });

  it('when a call to the sidecar carries no API token, then daprd refuses it with 401', async () => {
    // Arrange
    const state = [{ key: unique('without-token'), value: { token: 'missing' } }];

    // Act
    const [saved, invoked, metadata] = await Promise.all([
      fetch(`${daprd.httpUrl}/v1.0/state/${Components.stateStore}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(state),
      }),
      fetch(`${daprd.httpUrl}/v1.0/invoke/${appId}/method/orders/1`),
      fetch(`${daprd.httpUrl}/v1.0/metadata`, { headers: { 'dapr-api-token': appToken } }),
    ]);

    // Assert
    expect(saved.status).toBe(401);
    expect(invoked.status).toBe(401);
    expect(metadata.status).toBe(401);
  });

  it('when a request reaches the app without the app token, then it is refused with 401, but its probes answer', async () => {
    // Arrange
    const appUrl = `http://127.0.0.1:${app.port}`;

    // Act
    const [withoutToken, wrongToken, probe] = await Promise.all([
      fetch(`${appUrl}/orders/1`),
      fetch(`${appUrl}/orders/1`, { headers: { 'dapr-api-token': apiToken } }),
      fetch(`${appUrl}/healthz`),
    ]);

    // Assert
    expect(withoutToken.status).toBe(401);
    expect(wrongToken.status).toBe(401);
    expect(probe.status).toBe(200);
  });
});
