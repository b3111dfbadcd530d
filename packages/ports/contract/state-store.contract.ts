import { ConcurrencyConflictError, type StateStore } from '@sitter/ports';
import { unique } from './wait-for';

export interface StateStoreHarness {
  /** A store to run one test against; other tests may share the backing store, so keys are unique. */
  store: StateStore;
  teardown(): Promise<void>;
}

interface Counter {
  count: number;
}

/**
 * The behaviour every StateStore adapter must have, written once and run against each
 * transport (embedded in memory, embedded on disk, Dapr with Redis).
 *
 * Deliberately unspecified: saving with an ETag to a key that does not exist. Dapr state
 * stores disagree there (some report a conflict, some an error, some write), so callers must
 * not depend on it and no case here pins it down.
 */
export const stateStoreContract = (name: string, harness: () => Promise<StateStoreHarness>): void => {
  describe(`StateStore contract: ${name}`, () => {
    let subject: StateStoreHarness;
    let store: StateStore;

    beforeEach(async () => {
      subject = await harness();
      store = subject.store;
    });

    afterEach(async () => {
      await subject.teardown();
    });

    const expectConflictOn = async (write: Promise<unknown>, key: string) => {
      const error = await write.then(
        () => undefined,
        (rejection: unknown) => rejection,
      );
      expect(error).toBeInstanceOf(ConcurrencyConflictError);
      expect((error as ConcurrencyConflictError).keys).toContain(key);
    };

    describe('reads and writes', () => {
      it('when a key was never written, then get returns undefined', async () => {
        expect(await store.get(unique('missing'))).toBeUndefined();
      });

      it('when a value is saved, then get returns it with an etag', async () => {
        const key = unique('saved');

        await store.save(key, { name: 'Ada', tags: ['a', 'b'], nested: { n: 1 } });

        const entry = await store.get(key);
        expect(entry).toMatchObject({ key, value: { name: 'Ada', tags: ['a', 'b'], nested: { n: 1 } } });
        expect(typeof entry?.etag).toBe('string');
        expect(entry?.etag).not.toBe('');
      });

      it('when a key is written three times, then every write gives it a new etag', async () => {
        const key = unique('etags');
        const etags: string[] = [];

        for (const value of [1, 2, 3]) {
          await store.save(key, { value });
          etags.push((await store.get(key))!.etag);
        }

        expect(new Set(etags).size).toBe(3);
        expect((await store.get(key))?.value).toEqual({ value: 3 });
      });

      it('when a returned value is mutated, then the stored value does not change', async () => {
        const key = unique('copy');
        const original = { list: [1, 2], inner: { flag: true } };
        await store.save(key, original);

        const first = await store.get<typeof original>(key);
        first!.value.list.push(3);
        first!.value.inner.flag = false;
        original.list.push(4);

        expect((await store.get(key))?.value).toEqual({ list: [1, 2], inner: { flag: true } });
      });
    });

    describe('etag conditions', () => {
      it('when saving with the current etag, then the write succeeds', async () => {
        const key = unique('current');
        await store.save(key, { v: 1 });
        const { etag } = (await store.get(key))!;

        await store.save(key, { v: 2 }, { etag });

        expect((await store.get(key))?.value).toEqual({ v: 2 });
      });

      it('when saving with a stale etag, then it fails with a conflict naming the key and keeps the value', async () => {
        const key = unique('stale');
        await store.save(key, { v: 1 });
        const stale = (await store.get(key))!.etag;
        await store.save(key, { v: 2 });

        await expectConflictOn(store.save(key, { v: 3 }, { etag: stale }), key);

        expect((await store.get(key))?.value).toEqual({ v: 2 });
      });

      it('when saving onlyIfAbsent twice, then the first succeeds and the second conflicts', async () => {
        const key = unique('absent');

        await store.save(key, { owner: 'first' }, { onlyIfAbsent: true });
        await expectConflictOn(store.save(key, { owner: 'second' }, { onlyIfAbsent: true }), key);

        expect((await store.get(key))?.value).toEqual({ owner: 'first' });
      });

      it('when 20 onlyIfAbsent saves race on one key, then exactly one succeeds', async () => {
        const key = unique('race');

        const results = await Promise.allSettled(
          Array.from({ length: 20 }, (_, writer) => store.save(key, { writer }, { onlyIfAbsent: true })),
        );

        const winners = results.filter((result) => result.status === 'fulfilled');
        const losers = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
        expect(winners).toHaveLength(1);
        expect(losers).toHaveLength(19);
        for (const loser of losers) expect(loser.reason).toBeInstanceOf(ConcurrencyConflictError);
        const winner = results.findIndex((result) => result.status === 'fulfilled');
        expect((await store.get(key))?.value).toEqual({ writer: winner });
      });

      it('when 20 writers increment one counter with etag and retry, then the count is exact', async () => {
        const key = unique('counter');
        await store.save<Counter>(key, { count: 0 });
        const increment = async (): Promise<number> => {
          for (let attempt = 1; ; attempt += 1) {
            const current = (await store.get<Counter>(key))!;
            try {
              await store.save<Counter>(key, { count: current.value.count + 1 }, { etag: current.etag });
              return attempt;
            } catch (error) {
              if (!(error instanceof ConcurrencyConflictError)) throw error;
            }
          }
        };

        await Promise.all(Array.from({ length: 20 }, increment));

        expect((await store.get<Counter>(key))?.value.count).toBe(20);
      });
    });

    describe('delete', () => {
      it('when deleting with a stale etag, then it conflicts and the entry stays', async () => {
        const key = unique('delete-stale');
        await store.save(key, { v: 1 });
        const stale = (await store.get(key))!.etag;
        await store.save(key, { v: 2 });

        await expectConflictOn(store.delete(key, { etag: stale }), key);

        expect((await store.get(key))?.value).toEqual({ v: 2 });
      });

      it('when deleting with the current etag, then the entry is gone', async () => {
        const key = unique('delete-current');
        await store.save(key, { v: 1 });
        const { etag } = (await store.get(key))!;

        await store.delete(key, { etag });

        expect(await store.get(key)).toBeUndefined();
      });

      it('when deleting a key that does not exist, then it succeeds', async () => {
        const key = unique('delete-missing');

        await expect(store.delete(key)).resolves.toBeUndefined();

        expect(await store.get(key)).toBeUndefined();
      });
    });

    describe('getBulk', () => {
      it('when some keys exist, then only those come back, each with its etag', async () => {
        const [a, b, missing] = [unique('bulk-a'), unique('bulk-b'), unique('bulk-missing')];
        await store.save(a, { n: 'a' });
        await store.save(b, { n: 'b' });
        const etagA = (await store.get(a))!.etag;
        const etagB = (await store.get(b))!.etag;

        const found = await store.getBulk([a, missing, b]);

        expect([...found.keys()].sort()).toEqual([a, b].sort());
        expect(found.get(a)).toEqual({ key: a, value: { n: 'a' }, etag: etagA });
        expect(found.get(b)).toEqual({ key: b, value: { n: 'b' }, etag: etagB });
      });
    });

    describe('transactions', () => {
      it('when every condition holds, then every operation is applied', async () => {
        const [existing, created, removed] = [unique('tx-existing'), unique('tx-created'), unique('tx-removed')];
        await store.save(existing, { v: 1 });
        await store.save(removed, { v: 1 });
        const etag = (await store.get(existing))!.etag;

        await store.transact([
          { operation: 'upsert', key: existing, value: { v: 2 }, etag },
          { operation: 'upsert', key: created, value: { v: 1 }, onlyIfAbsent: true },
          { operation: 'delete', key: removed },
        ]);

        expect((await store.get(existing))?.value).toEqual({ v: 2 });
        expect((await store.get(created))?.value).toEqual({ v: 1 });
        expect(await store.get(removed)).toBeUndefined();
      });

      it('when one etag is stale, then it conflicts and no key changes', async () => {
        const [a, b, fresh] = [unique('tx-a'), unique('tx-b'), unique('tx-fresh')];
        await store.save(a, { v: 'a1' });
        await store.save(b, { v: 'b1' });
        const staleB = (await store.get(b))!.etag;
        await store.save(b, { v: 'b2' });
        const before = await store.getBulk([a, b]);

        await expectConflictOn(
          store.transact([
            { operation: 'upsert', key: a, value: { v: 'a2' } },
            { operation: 'upsert', key: b, value: { v: 'b3' }, etag: staleB },
            { operation: 'upsert', key: fresh, value: { v: 'new' } },
          ]),
          b,
        );

        const after = await store.getBulk([a, b, fresh]);
        expect(after.get(a)).toEqual(before.get(a));
        expect(after.get(b)).toEqual(before.get(b));
        expect(after.has(fresh)).toBe(false);
      });

      it('when onlyIfAbsent meets an existing key, then it conflicts and no key changes', async () => {
        const [taken, doomed, other] = [unique('tx-taken'), unique('tx-doomed'), unique('tx-other')];
        await store.save(taken, { owner: 'first' });
        await store.save(doomed, { v: 1 });
        const before = await store.getBulk([taken, doomed]);

        await expectConflictOn(
          store.transact([
            { operation: 'delete', key: doomed },
            { operation: 'upsert', key: other, value: { v: 1 } },
            { operation: 'upsert', key: taken, value: { owner: 'second' }, onlyIfAbsent: true },
          ]),
          taken,
        );

        const after = await store.getBulk([taken, doomed, other]);
        expect(after.get(taken)).toEqual(before.get(taken));
        expect(after.get(doomed)).toEqual(before.get(doomed));
        expect(after.has(other)).toBe(false);
      });

      it('when upserts and deletes with etags are mixed, then all of them apply together', async () => {
        const [kept, dropped, added] = [unique('mix-kept'), unique('mix-dropped'), unique('mix-added')];
        await store.save(kept, { v: 1 });
        await store.save(dropped, { v: 1 });
        const { etag: keptEtag } = (await store.get(kept))!;
        const { etag: droppedEtag } = (await store.get(dropped))!;

        await store.transact([
          { operation: 'delete', key: dropped, etag: droppedEtag },
          { operation: 'upsert', key: kept, value: { v: 2 }, etag: keptEtag },
          { operation: 'upsert', key: added, value: { v: 1 }, onlyIfAbsent: true },
        ]);

        const after = await store.getBulk([kept, dropped, added]);
        expect(after.get(kept)?.value).toEqual({ v: 2 });
        expect(after.get(kept)?.etag).not.toBe(keptEtag);
        expect(after.has(dropped)).toBe(false);
        expect(after.get(added)?.value).toEqual({ v: 1 });
      });
    });
  });
};
