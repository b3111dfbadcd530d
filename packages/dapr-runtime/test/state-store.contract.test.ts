import { leaseContract } from '@sitter/ports/contract/lease.contract';
import { outboxContract } from '@sitter/ports/contract/outbox.contract';
import { recordsContract } from '@sitter/ports/contract/records.contract';
import { stateStoreContract } from '@sitter/ports/contract/state-store.contract';
import { unique } from '@sitter/ports/contract/wait-for';
import { describeWithInfra } from '@sitter/infra-harness';
import type { StateStore } from '@sitter/ports';
import { createLogger } from '@sitter/platform';
import { DaprStateStore, KeyLocks, LockedStateStore, type SidecarConnection } from '../src';
import { startStateSidecar, type StateSidecar } from './state-sidecar';

/**
 * The StateStore contract (and the records kit, leases and the domain events outbox on it) on a real daprd, in the two ways the adapters run:
 * - the system's: state.redis, whose writes LockedStateStore makes all-or-nothing with lock.redis key locks;
 * - stores with transactions of their own (state.sqlite, state.postgresql v2 on a real PostgreSQL), through
 *   DaprStateStore alone, with no key locks.
 * state-store-redis.test.ts shows why state.redis needs the locks.
 */
const logger = createLogger('dapr-state-contract', 'silent');

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
  {
    name: 'state.postgresql with its own transactions',
    backend: 'postgresql' as const,
    tools: ['postgres', 'daprd'] as const,
    store: (connection: SidecarConnection): StateStore => new DaprStateStore(connection),
  },
];

for (const { name, backend, tools, store } of backends) {
  // Real processes: skipped with a message only outside CI when the tools are not provisioned (CI=true throws).
  describeWithInfra([...tools])(`daprd with ${name}`, () => {
    // Made in beforeAll, so that a skipped suite leaves nothing behind.
    let setup: StateSidecar | undefined;

    beforeAll(async () => {
      setup = await startStateSidecar(backend);
    }, 120_000);

    afterAll(async () => {
      await setup?.stop();
    }, 60_000);

    stateStoreContract(`dapr, ${name}`, async () => ({
      store: store(setup!.connection),
      teardown: async () => undefined,
    }));

    recordsContract(`dapr, ${name}`, async () => ({
      store: store(setup!.connection),
      teardown: async () => undefined,
    }));

    leaseContract(`dapr, ${name}`, async () => ({
      store: store(setup!.connection),
      teardown: async () => undefined,
    }));

    outboxContract(`dapr, ${name}`, async () => ({
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
