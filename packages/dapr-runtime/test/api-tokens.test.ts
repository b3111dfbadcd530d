import { rmSync } from 'node:fs';
import path from 'node:path';
import { Components } from '@sitter/contracts';
import { unique } from '@sitter/ports/contract/wait-for';
import {
  describeWithInfra,
  freePort,
  launch,
  makeTempDir,
  startDaprd,
  waitUntilReady,
  writeDaprResources,
  type Daprd,
  type ManagedProcess,
} from '@sitter/infra-harness';
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

/** The same, for an app as services host themselves: hostService reads both tokens from its environment. */
describeReal('Dapr API tokens, read by hostService from the environment', () => {
  const appId = unique('tokens-hosted');
  const apiToken = unique('api-token');
  const appToken = unique('app-token');
  let dir: string;
  let daprd: Daprd;
  let service: ManagedProcess;
  let appUrl: string;

  beforeAll(async () => {
    dir = makeTempDir('dapr-api-tokens-hosted');
    const appPort = await freePort();
    appUrl = `http://127.0.0.1:${appPort}`;
    daprd = await startDaprd({
      appId,
      appPort,
      resourcesPath: writeDaprResources(path.join(dir, 'resources'), { apps: [appId], components: [] }),
      env: { DAPR_API_TOKEN: apiToken, APP_API_TOKEN: appToken },
      readiness: 'outbound',
    });
    service = launch(
      appId,
      process.execPath,
      ['--require', 'tsx/cjs', path.join(__dirname, 'fixtures/hosted-echo.ts')],
      {
        env: {
          ...process.env,
          APP_ID: appId,
          PORT: String(appPort),
          DATA_DIR: dir,
          SITTER_RUNTIME: 'dapr',
          SITTER_STATE_LOCK_STORE: 'none',
          DAPR_HTTP_PORT: String(daprd.httpPort),
          DAPR_API_TOKEN: apiToken,
          APP_API_TOKEN: appToken,
        },
      },
    );
    // The app listens only once its sidecar answered its metadata call, which needs the API token.
    await waitUntilReady(service, 'GET /healthz', async () => (await fetch(`${appUrl}/healthz`)).ok, 60_000);
  }, 120_000);

  afterAll(async () => {
    await service?.stop();
    await daprd?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('when called through its sidecar, then it answers; when called directly without the app token, then 401', async () => {
    // Act
    const [throughSidecar, direct] = await Promise.all([
      fetch(`${daprd.httpUrl}/v1.0/invoke/${appId}/method/orders/2`, { headers: { 'dapr-api-token': apiToken } }),
      fetch(`${appUrl}/orders/2`),
    ]);

    // Assert
    expect({ status: throughSidecar.status, body: await throughSidecar.json() }).toEqual({
      status: 200,
      body: { served: '/orders/2' },
    });
    expect(direct.status).toBe(401);
  });
});
