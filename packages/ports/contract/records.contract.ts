import {
  ConcurrencyConflictError,
  conditionalDelete,
  conditionalUpsert,
  createOnly,
  readRecord,
  retryOnConflict,
} from '@sitter/ports';
import type { StateStoreHarness } from './state-store.contract';
import { unique } from './wait-for';

interface Counter {
  count: number;
}

const conflictOf = (write: Promise<unknown>): Promise<unknown> =>
  write.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );

/** The records kit (packages/ports/src/records.ts) on a real StateStore: what every service's writes rely on. */
export const recordsContract = (name: string, harness: () => Promise<StateStoreHarness>): void => {
  describe(`records kit: ${name}`, () => {
    let subject: StateStoreHarness;

    beforeEach(async () => {
      subject = await harness();
    });

    afterEach(async () => {
      await subject.teardown();
    });

    it('when a record is absent, then readRecord gives no value and no etag, and createOnly creates it', async () => {
      const key = unique('records-create');

      const absent = await readRecord<Counter>(subject.store, key);
      await subject.store.transact([createOnly(key, { count: 1 })]);

      expect(absent).toEqual({ key, value: undefined, etag: undefined });
      expect((await readRecord<Counter>(subject.store, key)).value).toEqual({ count: 1 });
    });

    it('when createOnly meets an existing record, then the transaction conflicts and the record stays', async () => {
      const key = unique('records-create-twice');
      await subject.store.transact([createOnly(key, { count: 1 })]);

      const error = await conflictOf(subject.store.transact([createOnly(key, { count: 2 })]));

      expect(error).toBeInstanceOf(ConcurrencyConflictError);
      expect((await readRecord<Counter>(subject.store, key)).value).toEqual({ count: 1 });
    });

    it('when two writers upsert from the same read, then the first wins and the second conflicts', async () => {
      const key = unique('records-upsert');
      await subject.store.transact([createOnly(key, { count: 1 })]);
      const read = await readRecord<Counter>(subject.store, key);

      await subject.store.transact([conditionalUpsert(read, { count: 2 })]);
      const error = await conflictOf(subject.store.transact([conditionalUpsert(read, { count: 3 })]));

      expect(error).toBeInstanceOf(ConcurrencyConflictError);
      expect((await readRecord<Counter>(subject.store, key)).value).toEqual({ count: 2 });
    });

    it('when a record was read absent and someone created it since, then the conditional upsert conflicts', async () => {
      const key = unique('records-upsert-absent');
      const read = await readRecord<Counter>(subject.store, key);
      await subject.store.transact([createOnly(key, { count: 1 })]);

      const error = await conflictOf(subject.store.transact([conditionalUpsert(read, { count: 5 })]));

      expect(error).toBeInstanceOf(ConcurrencyConflictError);
    });

    it('when a record changed since it was read, then the conditional delete conflicts; from a fresh read it deletes', async () => {
      const key = unique('records-delete');
      await subject.store.transact([createOnly(key, { count: 1 })]);
      const stale = await readRecord<Counter>(subject.store, key);
      await subject.store.transact([conditionalUpsert(stale, { count: 2 })]);

      const error = await conflictOf(subject.store.transact([conditionalDelete(stale)]));
      await subject.store.transact([conditionalDelete(await readRecord(subject.store, key))]);

      expect(error).toBeInstanceOf(ConcurrencyConflictError);
      expect(await readRecord(subject.store, key)).toEqual({ key, value: undefined, etag: undefined });
    });

    it('when ten increments race through retryOnConflict, then none is lost', async () => {
      const key = unique('records-race');
      await subject.store.transact([createOnly(key, { count: 0 })]);

      await Promise.all(
        Array.from({ length: 10 }, () =>
          retryOnConflict('the counter', async () => {
            const read = await readRecord<Counter>(subject.store, key);
            await subject.store.transact([conditionalUpsert(read, { count: read.value!.count + 1 })]);
          }),
        ),
      );

      expect((await readRecord<Counter>(subject.store, key)).value).toEqual({ count: 10 });
    });
  });
};
