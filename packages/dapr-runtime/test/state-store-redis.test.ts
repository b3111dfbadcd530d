import { unique } from '@sitter/ports/contract/wait-for';
import { ConcurrencyConflictError } from '@sitter/ports';
import { describeWithInfra } from '@sitter/infra-harness';
import { DaprStateStore, SidecarError } from '../src';
import { rejectionOf, startStateSidecar, type StateSidecar } from './state-sidecar';

// Real processes: skipped with a message only outside CI when the tools are not provisioned (CI=true throws).
const describeReal = describeWithInfra(['redis', 'daprd']);

/**
 * What Dapr 1.18's state.redis does on its own where the StateStore contract needs more: the reason LockedStateStore
 * exists. Pinned down on DaprStateStore alone, so that a change of component or of Dapr version shows up here; the
 * contract runs on state.redis through LockedStateStore (state-store.contract.test.ts).
 */
describeReal('state.redis behind daprd: where it falls short of the StateStore contract', () => {
  // Made in beforeAll, so that a skipped suite leaves nothing behind.
  let sidecar: StateSidecar | undefined;
  let store: DaprStateStore;

  beforeAll(async () => {
    sidecar = await startStateSidecar('redis');
    store = new DaprStateStore(sidecar.connection);
  }, 120_000);

  afterAll(async () => {
    await sidecar?.stop();
  }, 60_000);

  it('when a transaction has a stale etag, then it is refused as a conflict but its other operations are applied', async () => {
    // Arrange
    const [stale, other] = [unique('stale'), unique('other')];
    await store.save(stale, { v: 1 });
    const staleEtag = (await store.get(stale))!.etag;
    await store.save(stale, { v: 2 });

    // Act
    const error = await rejectionOf(
      store.transact([
        { operation: 'upsert', key: other, value: { v: 'written anyway' } },
        { operation: 'upsert', key: stale, value: { v: 3 }, etag: staleEtag },
      ]),
    );

    // Assert: MULTI/EXEC runs one script per operation; Redis does not roll back the others when one fails.
    expect(error).toBeInstanceOf(ConcurrencyConflictError);
    expect((await store.get(stale))?.value).toEqual({ v: 2 });
    expect((await store.get(other))?.value).toEqual({ v: 'written anyway' });
  });

  it('when a key saved without a condition is saved onlyIfAbsent, then it is overwritten without a conflict', async () => {
    // Arrange
    const key = unique('plain');
    await store.save(key, { owner: 'first' });

    // Act
    await store.save(key, { owner: 'second' }, { onlyIfAbsent: true });

    // Assert: the script only refuses a first-write on keys that were themselves written with first-write.
    expect((await store.get(key))?.value).toEqual({ owner: 'second' });
  });

  it('when onlyIfAbsent inside a transaction meets a key saved without a condition, then it overwrites it', async () => {
    // Arrange
    const key = unique('taken');
    await store.save(key, { owner: 'first' });

    // Act
    await store.transact([{ operation: 'upsert', key, value: { owner: 'second' }, onlyIfAbsent: true }]);

    // Assert
    expect((await store.get(key))?.value).toEqual({ owner: 'second' });
  });

  it('when a key created onlyIfAbsent is saved again without a condition, then daprd refuses the plain save', async () => {
    // Arrange: so writing everything with first-write concurrency is no way out either.
    const key = unique('claimed');
    await store.save(key, { owner: 'first' }, { onlyIfAbsent: true });

    // Act
    const error = await rejectionOf(store.save(key, { owner: 'updated' }));

    // Assert
    expect(error).toBeInstanceOf(SidecarError);
    expect((await store.get(key))?.value).toEqual({ owner: 'first' });
  });
});
