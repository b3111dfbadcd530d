import { rmSync } from 'node:fs';
import path from 'node:path';
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

const describeReal = describeWithInfra(['daprd']);

/** An app as services host themselves: hostService reads both tokens (DAPR_API_TOKEN, APP_API_TOKEN) from its environment. */
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
