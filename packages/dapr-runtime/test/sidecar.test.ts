import { rmSync } from 'node:fs';
import path from 'node:path';
import { unique } from '@sitter/ports/contract/wait-for';
import {
  freePort,
  describeWithInfra,
  makeTempDir,
  startDaprd,
  writeDaprResources,
  type Daprd,
} from '@sitter/infra-harness';
import { createLogger } from '@sitter/platform';
import { daprSidecar, DaprInvoker, DaprPublisher, DaprStateStore, DaprSubscriber, SidecarError } from '../src';

// Real processes: skipped with a message only outside CI when the tools are not provisioned (CI=true throws).
const describeReal = describeWithInfra(['daprd']);

const logger = createLogger('dapr-sidecar-test', 'silent');

describeReal('daprSidecar', () => {
  const appId = unique('sidecar-app');
  // Made in beforeAll, so that a skipped suite leaves nothing behind.
  let dir: string;
  let daprd: Daprd;

  beforeAll(async () => {
    dir = makeTempDir('dapr-sidecar');
    const resourcesPath = writeDaprResources(path.join(dir, 'resources'), {
      apps: [appId],
      components: ['stateStore'],
      stateStore: { type: 'sqlite', databaseFile: path.join(dir, 'state.db') },
      // daprd lists a Subscription in its metadata even with no pub/sub component to deliver it.
      subscriptions: [{ app: appId, topic: 'orders.placed' }],
    });
    daprd = await startDaprd({ appId, resourcesPath, readiness: 'outbound' });
  }, 120_000);

  afterAll(async () => {
    await daprd?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('when built on a running sidecar, then it is ready and its store writes through daprd', async () => {
    // Arrange
    // state.sqlite rolls back its own transactions: no lock store.
    const sidecar = daprSidecar(appId, { daprHttpPort: daprd.httpPort, logger, stateLockStore: null });
    const key = unique('through-sidecar');

    // Act
    await sidecar.waitUntilReady(10_000);
    await sidecar.store.save(key, { via: 'daprd' });

    // Assert
    expect(await sidecar.readiness.check()).toBe(true);
    expect((await sidecar.store.get(key))?.value).toEqual({ via: 'daprd' });
    expect(sidecar.store).toBeInstanceOf(DaprStateStore);
    expect(sidecar.publisher).toBeInstanceOf(DaprPublisher);
    expect(sidecar.subscriber).toBeInstanceOf(DaprSubscriber);
    expect(sidecar.invoker).toBeInstanceOf(DaprInvoker);
  });

  it('when the sidecar loaded a Subscription for every topic the app handles, then the subscription check passes', async () => {
    // Arrange
    const sidecar = daprSidecar(appId, {
      daprHttpPort: daprd.httpPort,
      logger,
      subscriptionDeclaration: 'declarative',
    });
    sidecar.subscriber.subscribe('orders.placed', async () => undefined);

    // Act
    const checked = sidecar.checkSubscriptions();

    // Assert
    await expect(checked).resolves.toBeUndefined();
  });

  it('when the app handles a topic the sidecar has no Subscription for, then the subscription check fails naming it', async () => {
    // Arrange
    const sidecar = daprSidecar(appId, {
      daprHttpPort: daprd.httpPort,
      logger,
      subscriptionDeclaration: 'declarative',
    });
    sidecar.subscriber.subscribe('orders.placed', async () => undefined);
    sidecar.subscriber.subscribe('orders.refunded', async () => undefined);

    // Act
    const checked = sidecar.checkSubscriptions();

    // Assert
    await expect(checked).rejects.toThrow(
      `the Dapr sidecar of ${appId} does not deliver what the app subscribes to: no Subscription to orders.refunded on pubsub`,
    );
  });

  it('when nothing listens on the sidecar port, then it is not ready, waiting fails, and reads fail naming the sidecar', async () => {
    // Arrange
    const port = await freePort();
    const sidecar = daprSidecar(appId, { daprHttpPort: port, logger });

    // Act
    const ready = await sidecar.readiness.check();
    const waited = await sidecar.waitUntilReady(300).then(
      () => 'ready',
      (error: Error) => error.message,
    );
    const read = await sidecar.store.get('any').then(
      () => undefined,
      (error: unknown) => error,
    );

    // Assert
    expect(ready).toBe(false);
    expect(waited).toMatch(/not ready after 300 ms/);
    expect(read).toBeInstanceOf(SidecarError);
    expect((read as SidecarError).message).toContain(`127.0.0.1:${port} did not answer`);
  });
});
