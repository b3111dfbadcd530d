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
} from '@sitter/infra-harness';
import type { StateStore } from '@sitter/ports';
import { createLogger } from '@sitter/platform';
import { DaprStateStore, KeyLocks, LockedStateStore, SidecarConnection } from '../src';

/**
 * The StateStore contract on a real daprd, in the two ways the adapters run:
 * - the system's: state.redis, whose writes LockedStateStore makes all-or-nothing with lock.redis key locks;
 * - a store with transactions of its own (state.sqlite here), through DaprStateStore alone.
 * state-store-redis.test.ts shows why state.redis needs the locks.
 */
const logger = createLogger('dapr-state-contract', 'silent');

interface Setup {
  redis?: RedisServer;
  sidecar: Daprd;
  connection: SidecarConnection;
}

/** A sidecar for one test app on either store; `dir` holds its resources (and the sqlite file). */
async function startSetup(dir: string, appId: string, backend: 'redis' | 'sqlite'): Promise<Setup> {
  const redis = backend === 'redis' ? await startRedis() : undefined;
  const resourcesPath = writeDaprResources(path.join(dir, 'resources'), {
    apps: [appId],
    ...(backend === 'redis'
      ? { components: ['stateStore', 'lockStore'] }
      : { components: ['stateStore'], stateStore: { type: 'sqlite', databaseFile: path.join(dir, 'state.db') } }),
  });
  const sidecar = await startDaprd({ appId, resourcesPath, redisHost: redis?.address, readiness: 'outbound' });
  return { redis, sidecar, connection: new SidecarConnection({ daprHttpPort: sidecar.httpPort }, logger) };
}

const backends = [
  {
    name: 'state.redis with lock.redis key locks (the system)',
    backend: 'redis' as const,
    tools: ['redis', 'daprd'] as const,
    store: (connection: SidecarConnection): StateStore =>
      new LockedStateStore(new DaprStateStore(connection), new KeyLocks(connection, logger)),
  },
  {
    name: 'state.sqlite with its own transactions',
    backend: 'sqlite' as const,
    tools: ['daprd'] as const,
    store: (connection: SidecarConnection): StateStore => new DaprStateStore(connection),
  },
];

for (const { name, backend, tools, store } of backends) {
  // Real processes: skipped with a message only outside CI when the tools are not provisioned (CI=true throws).
  describeWithInfra([...tools])(`daprd with ${name}`, () => {
    const appId = unique('contract-state');
    // Made in beforeAll, so that a skipped suite leaves nothing behind.
    let dir: string;
    let setup: Setup | undefined;

    beforeAll(async () => {
      dir = makeTempDir('dapr-state-contract');
      setup = await startSetup(dir, appId, backend);
    }, 120_000);

    afterAll(async () => {
      await setup?.sidecar.stop();
      await setup?.redis?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    }, 60_000);

    stateStoreContract(`dapr, ${name}`, async () => ({
      store: store(setup!.connection),
      teardown: async () => undefined,
    }));

    it('when keys hold characters a URL escapes, then get, getBulk and delete find what save wrote', async () => {
      // Arrange: the services' keys look like `user-email:ada+1@example.org`, `bookings-by-customer:ada:CONFIRMED`.
      const states = store(setup!.connection);
      const keys = [unique('user-email:ada+1@example.org'), unique('a/b c?d#e%f'), unique('name:Zoë&co')];
      for (const key of keys) await states.save(key, { key });

      // Act
      const single = await Promise.all(keys.map((key) => states.get<{ key: string }>(key)));
      const bulk = await states.getBulk<{ key: string }>(keys);
      await states.delete(keys[1], { etag: single[1]!.etag });

      // Assert
      expect(single.map((entry) => entry?.value.key)).toEqual(keys);
      expect([...bulk.keys()].sort()).toEqual([...keys].sort());
      expect(await states.get(keys[1])).toBeUndefined();
    });
  });
}
