import { rmSync } from 'node:fs';
import path from 'node:path';
import { stateStoreContract } from '@sitter/ports/contract/state-store.contract';
import { unique } from '@sitter/ports/contract/wait-for';
import {
  describeWithInfra,
  makeTempDir,
  startDaprd,
  startRedis,
  writeDaprResources,
  type Daprd,
  type RedisServer,
  type StateStoreBackend,
} from '@sitter/infra-harness';
import { createLogger } from '@sitter/platform';
import { DaprStateStore, SidecarConnection } from '../src';

/**
 * The StateStore contract on a real daprd. The store behind it is state.sqlite, the Dapr store here whose
 * transactions and first-write concurrency hold the whole contract. `SITTER_DAPR_STATE_BACKEND=redis` runs the same
 * suite on state.redis instead, to see which cases it fails (state-store-redis.test.ts pins those down).
 */
const backend = process.env.SITTER_DAPR_STATE_BACKEND === 'redis' ? 'redis' : 'sqlite';

// Real processes: skipped with a message only outside CI when the tools are not provisioned (CI=true throws).
const describeReal = describeWithInfra(backend === 'redis' ? ['redis', 'daprd'] : ['daprd']);

const logger = createLogger('dapr-state-contract', 'silent');

describeReal(`daprd with state.${backend}`, () => {
  const appId = unique('contract-state');
  // Made in beforeAll, so that a skipped suite leaves nothing behind.
  let dir: string;
  let redis: RedisServer | undefined;
  let sidecar: Daprd | undefined;
  let connection: SidecarConnection;

  beforeAll(async () => {
    dir = makeTempDir('dapr-state-contract');
    let stateStore: StateStoreBackend = { type: 'sqlite', databaseFile: path.join(dir, 'state.db') };
    if (backend === 'redis') {
      redis = await startRedis();
      stateStore = { type: 'redis' };
    }
    const resourcesPath = writeDaprResources(path.join(dir, 'resources'), {
      apps: [appId],
      components: ['stateStore'],
      stateStore,
    });
    sidecar = await startDaprd({ appId, resourcesPath, redisHost: redis?.address, readiness: 'outbound' });
    connection = new SidecarConnection({ daprHttpPort: sidecar.httpPort }, logger);
  }, 120_000);

  afterAll(async () => {
    await sidecar?.stop();
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  stateStoreContract(`dapr, state.${backend}`, async () => ({
    store: new DaprStateStore(connection),
    teardown: async () => undefined,
  }));

  it('when keys hold characters a URL escapes, then get, getBulk and delete find what save wrote', async () => {
    // Arrange: the services' keys look like `user-email:ada+1@example.org`, `bookings-by-customer:ada:CONFIRMED`.
    const store = new DaprStateStore(connection);
    const keys = [unique('user-email:ada+1@example.org'), unique('a/b c?d#e%f'), unique('name:Zoë&co')];
    for (const key of keys) await store.save(key, { key });

    // Act
    const single = await Promise.all(keys.map((key) => store.get<{ key: string }>(key)));
    const bulk = await store.getBulk<{ key: string }>(keys);
    await store.delete(keys[1], { etag: single[1]!.etag });

    // Assert
    expect(single.map((entry) => entry?.value.key)).toEqual(keys);
    expect([...bulk.keys()].sort()).toEqual([...keys].sort());
    expect(await store.get(keys[1])).toBeUndefined();
  });
});
