import { setTimeout as delay } from 'node:timers/promises';
import { Components } from '@sitter/contracts';
import { unique } from '@sitter/ports/contract/wait-for';
import { ConcurrencyConflictError, type StateStore } from '@sitter/ports';
import { describeWithInfra } from '@sitter/infra-harness';
import { createLogger } from '@sitter/platform';
import {
  daprSidecar,
  DaprStateStore,
  KeyLocks,
  LockedStateStore,
  SidecarError,
  type KeyLockOptions,
  type SidecarConnection,
} from '../src';
import { rejectionOf, startStateSidecar, type StateSidecar } from './state-sidecar';

// Real processes: skipped with a message only outside CI when the tools are not provisioned (CI=true throws).
const describeReal = describeWithInfra(['redis', 'daprd']);

const logger = createLogger('dapr-locked-writes', 'silent');

/** What LockedStateStore adds to state.redis, beyond the StateStore contract (state-store.contract.test.ts). */
describeReal('LockedStateStore on state.redis and lock.redis behind daprd', () => {
  // Made in beforeAll, so that a skipped suite leaves nothing behind.
  let sidecar: StateSidecar | undefined;
  let connection: SidecarConnection;

  const lockedStore = (options: KeyLockOptions = {}): StateStore =>
    new LockedStateStore(new DaprStateStore(connection), new KeyLocks(connection, logger, options));

  /** Takes a key's lock as another writer would (another replica, say). */
  const lockAsAnotherWriter = async (key: string, owner: string) => {
    const answer = await connection.postJson<{ success: boolean }>(
      'lock',
      `/v1.0-alpha1/lock/${Components.lockStore}`,
      {
        resourceId: key,
        lockOwner: owner,
        expiryInSeconds: 30,
      },
    );
    expect(answer?.success).toBe(true);
  };

  beforeAll(async () => {
    sidecar = await startStateSidecar('redis');
    connection = sidecar.connection;
  }, 120_000);

  afterAll(async () => {
    await sidecar?.stop();
  }, 60_000);

  it('when another writer holds a key past the wait, then the write fails as a sidecar error and changes nothing', async () => {
    // Arrange
    const key = unique('held');
    const store = lockedStore({ waitMs: 300 });
    await store.save(key, { v: 'before' });
    await lockAsAnotherWriter(key, unique('other-writer'));

    // Act
    const error = await rejectionOf(store.save(key, { v: 'after' }));

    // Assert: a busy key is not a conflict, so callers do not retry it as one.
    expect(error).toBeInstanceOf(SidecarError);
    expect(error).not.toBeInstanceOf(ConcurrencyConflictError);
    expect((error as Error).message).toMatch(/stayed locked for 300 ms/);
    expect((await store.get(key))?.value).toEqual({ v: 'before' });
  });

  it('when the other writer releases the key while a write waits, then the write goes through', async () => {
    // Arrange
    const key = unique('released');
    const owner = unique('other-writer');
    const store = lockedStore({ waitMs: 5_000 });
    await lockAsAnotherWriter(key, owner);

    // Act
    const waiting = store.save(key, { v: 'after the wait' });
    await delay(200);
    await connection.postJson('unlock', `/v1.0-alpha1/unlock/${Components.lockStore}`, {
      resourceId: key,
      lockOwner: owner,
    });
    await waiting;

    // Assert
    expect((await store.get(key))?.value).toEqual({ v: 'after the wait' });
  });

  it('when a transaction is refused, then its locks are released at once for the next writer', async () => {
    // Arrange: waitMs 0 gives the next writer a single try at each lock.
    const [stale, other] = [unique('stale'), unique('other')];
    const store = lockedStore({ waitMs: 0 });
    await store.save(stale, { v: 1 });
    const staleEtag = (await store.get(stale))!.etag;
    await store.save(stale, { v: 2 });

    // Act
    const refused = await rejectionOf(
      store.transact([
        { operation: 'upsert', key: other, value: { v: 'must not be written' } },
        { operation: 'upsert', key: stale, value: { v: 3 }, etag: staleEtag },
      ]),
    );
    await store.transact([
      { operation: 'upsert', key: other, value: { v: 'next writer' } },
      { operation: 'upsert', key: stale, value: { v: 4 } },
    ]);

    // Assert
    expect(refused).toBeInstanceOf(ConcurrencyConflictError);
    expect((refused as ConcurrencyConflictError).keys).toEqual([stale]);
    expect((await store.get(stale))?.value).toEqual({ v: 4 });
    expect((await store.get(other))?.value).toEqual({ v: 'next writer' });
  });

  it('when transactions on the same two keys race in opposite key orders, then all complete and the counts are exact', async () => {
    // Arrange: a writer that misses one of its locks gives back the others before it waits, so [a, b] and [b, a]
    // writers never wait on each other in a cycle.
    const [a, b] = [unique('pair-a'), unique('pair-b')];
    const store = lockedStore();
    await store.transact([
      { operation: 'upsert', key: a, value: 0, onlyIfAbsent: true },
      { operation: 'upsert', key: b, value: 0, onlyIfAbsent: true },
    ]);
    const incrementBoth = async (keys: readonly string[]) => {
      for (;;) {
        const entries = await store.getBulk<number>(keys);
        try {
          await store.transact(
            keys.map((key) => ({
              operation: 'upsert' as const,
              key,
              value: entries.get(key)!.value + 1,
              etag: entries.get(key)!.etag,
            })),
          );
          return;
        } catch (error) {
          if (!(error instanceof ConcurrencyConflictError)) throw error;
        }
      }
    };

    // Act
    await Promise.all(Array.from({ length: 12 }, (_, i) => incrementBoth(i % 2 === 0 ? [a, b] : [b, a])));

    // Assert
    const counts = await store.getBulk<number>([a, b]);
    expect([counts.get(a)?.value, counts.get(b)?.value]).toEqual([12, 12]);
  });

  it('when reading under the locks leaves less than the write margin of their lease, then nothing is written, the write fails as a sidecar error, and the keys are free again', async () => {
    // Arrange: a 3 s lease, a 2 s write margin, and reads that take 1.5 s (a stalled writer)
    const key = unique('late');
    const fast = lockedStore({ waitMs: 0 });
    await fast.save(key, { v: 'before' });
    const etag = (await fast.get(key))!.etag;
    const dapr = new DaprStateStore(connection);
    const slowReads: StateStore = Object.assign(Object.create(dapr) as StateStore, {
      getBulk: async <T>(keys: readonly string[]) => {
        await delay(1_500);
        return dapr.getBulk<T>(keys);
      },
    });
    const late = new LockedStateStore(slowReads, new KeyLocks(connection, logger, { leaseSeconds: 3 }), 2_000);

    // Act
    const error = await rejectionOf(late.save(key, { v: 'late' }, { etag }));
    await fast.save(key, { v: 'next writer' }, { etag });

    // Assert: a write sent that late could land after the locks expired, over another writer's.
    expect(error).toBeInstanceOf(SidecarError);
    expect((error as Error).message).toMatch(/too close to the end of their lease/);
    expect((await fast.get(key))?.value).toEqual({ v: 'next writer' });
  });

  it('when reading under the locks leaves the write margin, then the write goes through', async () => {
    // Arrange: the same lease and margin, reads of 0.5 s
    const key = unique('in-time');
    const dapr = new DaprStateStore(connection);
    const slowReads: StateStore = Object.assign(Object.create(dapr) as StateStore, {
      getBulk: async <T>(keys: readonly string[]) => {
        await delay(500);
        return dapr.getBulk<T>(keys);
      },
    });
    const store = new LockedStateStore(slowReads, new KeyLocks(connection, logger, { leaseSeconds: 3 }), 2_000);

    // Act
    await store.save(key, { v: 'in time' }, { onlyIfAbsent: true });

    // Assert
    expect((await store.get(key))?.value).toEqual({ v: 'in time' });
  });

  it('when the sidecar has no such lock store, then writes fail as sidecar errors naming it and write nothing', async () => {
    // Arrange: e.g. SITTER_STATE_LOCK_STORE names a component the sidecar did not load.
    const key = unique('no-lock-store');
    const store = lockedStore({ lockStoreName: 'no-such-lockstore' });

    // Act
    const error = await rejectionOf(store.save(key, { v: 1 }));

    // Assert
    expect(error).toBeInstanceOf(SidecarError);
    expect((error as Error).message).toMatch(/no-such-lockstore/);
    expect(await store.get(key)).toBeUndefined();
  });

  it('when daprSidecar is built, then its store locks keys unless stateLockStore is null', () => {
    // Arrange, Act
    const { appId, daprHttpPort } = sidecar!;
    const byDefault = daprSidecar(appId, { daprHttpPort, logger });
    const withoutLocks = daprSidecar(appId, { daprHttpPort, logger, stateLockStore: null });

    // Assert
    expect(byDefault.store).toBeInstanceOf(LockedStateStore);
    expect(withoutLocks.store).toBeInstanceOf(DaprStateStore);
  });
});
