import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { unique } from '@sitter/ports/contract/wait-for';
import { describeWithInfra, makeTempDir, startDaprd, writeDaprResources, type Daprd } from '@sitter/infra-harness';
import { DaprInvoker, SidecarConnection } from '@sitter/dapr-runtime';
import { loadDeclinerConfig } from '../../src';

const describeReal = describeWithInfra(['daprd']);

describeReal('the decliner’s calls to the job service, through a daprd that requires an API token', () => {
  const appId = unique('decliner-token-target');
  const apiToken = unique('api-token');
  let dir: string;
  let target: Server;
  let daprd: Daprd;

  beforeAll(async () => {
    dir = makeTempDir('decliner-api-token');
    target = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ declined: true }));
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    daprd = await startDaprd({
      appId,
      appPort: (target.address() as AddressInfo).port,
      resourcesPath: writeDaprResources(path.join(dir, 'resources'), { apps: [appId], components: [] }),
      env: { DAPR_API_TOKEN: apiToken },
    });
  }, 120_000);

  afterAll(async () => {
    await daprd?.stop();
    target?.closeAllConnections();
    await new Promise((resolve) => target?.close(resolve));
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  /** The invoker as src/main.ts builds it from the configuration. */
  const invokerFrom = (env: Record<string, string>) => {
    const config = loadDeclinerConfig({ KAFKA_BROKERS: 'k:9092', DAPR_HTTP_PORT: String(daprd.httpPort), ...env });
    return new DaprInvoker(new SidecarConnection(config.sidecar), { timeoutMs: config.invokeTimeoutMs });
  };

  it('when DAPR_API_TOKEN is set, then its calls through the sidecar are served', async () => {
    // Act
    const response = await invokerFrom({ DAPR_API_TOKEN: apiToken }).invoke(appId, { method: 'POST', path: '/x' });

    // Assert
    expect(response).toEqual({ status: 200, body: { declined: true } });
  });

  it('when DAPR_API_TOKEN is not set, then the sidecar refuses its calls with 401', async () => {
    // Act
    const response = await invokerFrom({}).invoke(appId, { method: 'POST', path: '/x' });

    // Assert
    expect(response.status).toBe(401);
  });
});
