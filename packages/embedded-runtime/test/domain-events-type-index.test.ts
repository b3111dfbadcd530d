import {
  EVENT_TYPE_PAGE,
  createEventLog,
  listTypeEvents,
  type Actor,
  type DomainEvent,
  type StateStore,
} from '@sitter/ports';
import { EmbeddedStateStore } from '../src';

const admin: Actor = { username: 'root', roles: ['ADMIN'] };
const HOUR = '2026-12-03T10';

/** A log whose clock moves one millisecond per event from the start of HOUR, with ids in the order of the changes. */
const eventLog = (store: StateStore, startMs = Date.parse(`${HOUR}:00:00.000Z`)) => {
  let tick = startMs;
  let serial = 0;
  return createEventLog({
    store,
    clock: { now: () => new Date(tick++) },
    newId: () => `e-${String((serial += 1)).padStart(5, '0')}`,
    requestId: () => undefined,
  });
};

const decline = (entityId: string) => ({
  type: 'APPLICATION_DECLINED',
  entity: 'APPLICATION' as const,
  entityId,
  owners: ['p'],
  value: {},
});

/** Every event of the type, read page after page with `limit`. */
const readAll = async (store: StateStore, limit: number, bounds: { from?: string; to?: string } = {}) => {
  const ids: string[] = [];
  let after: string | undefined;
  do {
    const page = await listTypeEvents(store, admin, 'APPLICATION_DECLINED', { ...bounds, limit, after });
    ids.push(...page.items.map((event) => event.id));
    after = page.cursor ?? undefined;
  } while (after !== undefined);
  return ids;
};

/** How many references each record of the type index holds. */
const typeIndexSizes = (store: EmbeddedStateStore) =>
  store
    .snapshot()
    .entries.filter(([key]) => key.startsWith(`events-by-type:APPLICATION_DECLINED:${HOUR}:`))
    .map(([key, entry]) => ({ key, refs: (entry.value as { refs: unknown[] }).refs.length }));

describe('the type index of domain events', () => {
  it('when one shard gets more changes in an hour than a page holds, then no record holds more than a page and all are listed once, in order', async () => {
    // Arrange
    const store = new EmbeddedStateStore();
    const log = eventLog(store);
    const recorded: string[] = [];
    for (let n = 0; n < 2 * EVENT_TYPE_PAGE + 20; n += 1) {
      const event = log.stamp(decline('same-application'));
      await log.commit([], [event]);
      recorded.push(event.id);
    }

    // Act
    const listed = await readAll(store, 100);

    // Assert
    expect(listed).toEqual(recorded);
    expect(Math.max(...typeIndexSizes(store).map((record) => record.refs))).toBeLessThanOrEqual(EVENT_TYPE_PAGE);
  });

  it('when the hour is read with minute bounds, then only the events of those minutes are listed', async () => {
    // Arrange: 300 events one second apart, from 10:00:00 to 10:04:59
    const store = new EmbeddedStateStore();
    let at = Date.parse(`${HOUR}:00:00.000Z`);
    const log = createEventLog({
      store,
      clock: { now: () => new Date((at += 1000) - 1000) },
      newId: (() => {
        let serial = 0;
        return () => `e-${String((serial += 1)).padStart(5, '0')}`;
      })(),
      requestId: () => undefined,
    });
    const recorded: DomainEvent[] = [];
    for (let n = 0; n < 300; n += 1) {
      const event = log.stamp(decline(`application-${n % 3}`));
      await log.commit([], [event]);
      recorded.push(event);
    }

    // Act
    const listed = await readAll(store, 50, { from: `${HOUR}:02Z`, to: `${HOUR}:03Z` });

    // Assert
    const expected = recorded.filter(
      (event) => event.createdAt.slice(14, 16) >= '02' && event.createdAt.slice(14, 16) <= '03',
    );
    expect(listed).toEqual(expected.map((event) => event.id));
    expect(listed).toHaveLength(120);
  });

  it('when an hour was written in the layout before pages (16 shards, one record each), then its events are listed with the newer ones, and a full old record is continued on a new page', async () => {
    // Arrange: `legacy-2` is in shard 2 in both layouts, `legacy-0` in shard 8 then, in shard 56 now
    const store = new EmbeddedStateStore();
    const writer = eventLog(store);
    const oldShards = { 'legacy-2': 2, 'legacy-0': 8 };
    const old = Object.keys(oldShards).flatMap((entityId) =>
      Array.from({ length: EVENT_TYPE_PAGE + 5 }, () => writer.stamp(decline(entityId))),
    );
    await store.save('events-by-type:APPLICATION_DECLINED', { buckets: [HOUR] });
    for (const [entityId, shard] of Object.entries(oldShards)) {
      const events = old.filter((event) => event.entityId === entityId);
      await store.save(`events-by-entity:APPLICATION:${entityId}:2026-12`, { events });
      await store.save(`events-by-entity:APPLICATION:${entityId}`, { buckets: ['2026-12'] });
      await store.save(`events-by-type:APPLICATION_DECLINED:${HOUR}:${shard}`, {
        refs: events.map(({ id, createdAt, entity, entityId: ofEntity }) => ({
          id,
          createdAt,
          entity,
          entityId: ofEntity,
        })),
      });
    }

    // Act
    const newer = [writer.stamp(decline('legacy-2')), writer.stamp(decline('legacy-0'))];
    for (const event of newer) await writer.commit([], [event]);
    const listed = await readAll(store, 100);

    // Assert
    expect(listed).toEqual([...old, ...newer].map((event) => event.id));
    expect(typeIndexSizes(store).find((record) => record.key.endsWith(':2:1'))?.refs).toBe(1);
  });
});
