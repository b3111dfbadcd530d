import { rmSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import path from 'node:path';
import { invokerContract } from '@sitter/ports/contract/invoker.contract';
import { unique } from '@sitter/ports/contract/wait-for';
import {
  freePort,
  describeWithInfra,
  makeTempDir,
  startDaprd,
  writeDaprResources,
  type Daprd,
} from '@sitter/infra-harness';
import { ServiceUnavailableError } from '@sitter/ports';
import { DaprInvoker, SidecarConnection } from '../src';
import { serveLocally, type LocalApp } from './local-app';

// Real processes: skipped with a message only outside CI when the tools are not provisioned (CI=true throws).
const describeReal = describeWithInfra(['daprd']);

/**
 * Two sidecars that find each other through one sqlite name-resolution file: the caller's (no app), and the
 * target's, in front of an app server that serves whatever target the current test hands over.
 */
describeReal('Dapr service invocation between two sidecars', () => {
  // Made in beforeAll, so that a skipped suite leaves nothing behind.
  let dir: string;
  let nameResolutionFile: string;
  const callerId = unique('contract-caller');
  const targetId = unique('contract-target');
  let current: RequestListener | undefined;
  let targetApp: LocalApp;
  let caller: Daprd;
  let target: Daprd;

  /** No components: invocation needs none. The resiliency applies to calls to the target. */
  const resourcesFor = (appId: string) =>
    writeDaprResources(path.join(dir, appId), { apps: [appId, targetId], components: [] });

  beforeAll(async () => {
    dir = makeTempDir('dapr-invoker-contract');
    nameResolutionFile = path.join(dir, 'names.db');
    targetApp = await serveLocally((req, res) => {
      if (current) return current(req, res);
      res.writeHead(503).end();
    });
    [caller, target] = await Promise.all([
      startDaprd({ appId: callerId, resourcesPath: resourcesFor(callerId), nameResolutionFile, readiness: 'outbound' }),
      startDaprd({
        appId: targetId,
        appPort: targetApp.port,
        resourcesPath: resourcesFor(targetId),
        nameResolutionFile,
      }),
    ]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([caller?.stop(), target?.stop()]);
    await targetApp?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  invokerContract('dapr, HTTP service invocation', async () => ({
    invoker: new DaprInvoker(new SidecarConnection({ daprHttpPort: caller.httpPort })),
    serve: async (handler) => {
      current = handler;
      return targetId;
    },
    teardown: async () => {
      current = undefined;
    },
  }));

  describe('failures', () => {
    const invoker = () => new DaprInvoker(new SidecarConnection({ daprHttpPort: caller.httpPort }));

    afterEach(() => {
      current = undefined;
    });

    it('when the target app itself answers 500, then its status and body come back instead of an error', async () => {
      // Arrange
      current = (_req, res) => {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'boom' }));
      };

      // Act
      const response = await invoker().invoke(targetId, { method: 'GET', path: '/fails' });

      // Assert
      expect(response).toEqual({ status: 500, body: { message: 'boom' } });
    });

    it('when the target sidecar runs but its app does not listen, then the call fails with ServiceUnavailableError', async () => {
      // Arrange
      const appId = unique('contract-app-down');
      const sidecar = await startDaprd({
        appId,
        appPort: await freePort(),
        resourcesPath: resourcesFor(appId),
        nameResolutionFile,
        readiness: 'outbound',
      });

      try {
        // Act
        const error = await invoker()
          .invoke(appId, { method: 'GET', path: '/' })
          .then(
            () => undefined,
            (rejection: unknown) => rejection,
          );

        // Assert
        expect(error).toBeInstanceOf(ServiceUnavailableError);
        expect((error as ServiceUnavailableError).appId).toBe(appId);
      } finally {
        await sidecar.stop();
      }
    }, 60_000);

    it('when the target answers after the timeout, then the call fails with ServiceUnavailableError', async () => {
      // Arrange
      current = (_req, res) => {
        setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'), 1_500);
      };
      const impatient = new DaprInvoker(new SidecarConnection({ daprHttpPort: caller.httpPort }), { timeoutMs: 200 });

      // Act
      const error = await impatient.invoke(targetId, { method: 'GET', path: '/slow' }).then(
        () => undefined,
        (rejection: unknown) => rejection,
      );

      // Assert
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect((error as ServiceUnavailableError).appId).toBe(targetId);
    });

    it('when the sidecar itself does not answer, then the call fails with ServiceUnavailableError', async () => {
      // Arrange
      const unreachable = new DaprInvoker(new SidecarConnection({ daprHttpPort: await freePort() }));

      // Act
      const error = await unreachable.invoke(targetId, { method: 'GET', path: '/' }).then(
        () => undefined,
        (rejection: unknown) => rejection,
      );

      // Assert
      expect(error).toBeInstanceOf(ServiceUnavailableError);
    });
  });
});
