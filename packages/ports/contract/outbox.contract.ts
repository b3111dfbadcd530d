import {
  Leases,
  OUTBOX_SHARDS,
  OutboxRelay,
  createEventLog,
  outboxKey,
  type Clock,
  type DomainEvent,
  type StateStore,
} from '@sitter/ports';
import type { StateStoreHarness } from './state-store.contract';
import { unique } from './wait-for';

const GRACE_MS = 5_000;
const LEASE_MS = 15_000;

/** A clock the test moves, shared by the services and relays, so the grace period needs no waiting. */
const movableClock = (): Clock & { advance(ms: number): void } => {
  let now = Date.parse('2031-05-01T09:00:00.000Z');
  return { now: () => new Date(now), advance: (ms) => (now += ms) };
};

/** A broker stand-in: records what was published, and refuses while `down`. */
const broker = () => {
  const published: DomainEvent[] = [];
  const state = { down: false };
  return {
    published,
    state,
    publish: async (event: DomainEvent) => {
      if (state.down) throw new Error('broker unavailable');
      published.push(event);
    },
  };
};

/**
 * The domain events outbox (packages/ports/src/domain-events-outbox.ts) on a real StateStore: an event whose
 * publish failed at its commit is published later by a relay, once, whichever of several replicas' relays runs.
 */
export const outboxContract = (name: string, harness: () => Promise<StateStoreHarness>): void => {
  describe(`domain events outbox: ${name}`, () => {
    let subject: StateStoreHarness;

    beforeEach(async () => {
      subject = await harness();
    });

    afterEach(async () => {
      await subject.teardown();
    });

    const setUp = (store: StateStore) => {
      const clock = movableClock();
      const bus = broker();
      const log = createEventLog({
        store,
        clock,
        newId: () => unique('event'),
        requestId: () => undefined,
        publish: bus.publish,
      });
      const relay = (holder: string) =>
        new OutboxRelay<DomainEvent>({
          store,
          publish: bus.publish,
          leases: new Leases(store, { ttlMs: LEASE_MS, clock, holder: unique(holder) }),
          leaseTtlMs: LEASE_MS,
          graceMs: GRACE_MS,
          clock,
        });
      /** Commits one change of each entity with the broker down, so every event stays in the outbox. */
      const commitWhileDown = async (entityIds: string[]) => {
        bus.state.down = true;
        const events: DomainEvent[] = [];
        for (const entityId of entityIds) {
          const event = log.stamp({ type: 'JOB_POSTED', entity: 'JOB', entityId, owners: ['p'], value: {} });
          await log.commit([], [event]);
          events.push(event);
        }
        bus.state.down = false;
        return events;
      };
      const outboxSize = async () => {
        const records = await store.getBulk<{ pending: unknown[] }>(
          Array.from({ length: OUTBOX_SHARDS }, (_, shard) => outboxKey(shard)),
        );
        return [...records.values()].reduce((sum, record) => sum + record.value.pending.length, 0);
      };
      return { clock, bus, log, relay, commitWhileDown, outboxSize };
    };

    it('when a change is committed and its publish works, then it is published once and the outbox is left empty', async () => {
      // Arrange
      const { clock, bus, log, relay, outboxSize } = setUp(subject.store);
      const event = log.stamp({ type: 'JOB_POSTED', entity: 'JOB', entityId: unique('job'), owners: ['p'], value: {} });

      // Act
      await log.commit([], [event]);
      clock.advance(GRACE_MS + 1);
      const replica = relay('replica-a');
      const relayed = await replica.runOnce();
      await replica.stop();

      // Assert
      expect(bus.published.map((each) => each.id)).toEqual([event.id]);
      expect(relayed).toBe(0);
      expect(await outboxSize()).toBe(0);
    });

    it('when the publish fails at the commit, then the relay publishes the event after the grace period, once', async () => {
      // Arrange
      const { clock, bus, relay, commitWhileDown, outboxSize } = setUp(subject.store);
      const [event] = await commitWhileDown([unique('job')]);
      const replica = relay('replica-a');

      // Act
      const withinGrace = await replica.runOnce();
      clock.advance(GRACE_MS + 1);
      const afterGrace = await replica.runOnce();
      const again = await replica.runOnce();

      // Assert
      expect([withinGrace, afterGrace, again]).toEqual([0, 1, 0]);
      expect(bus.published.map((each) => each.id)).toEqual([event.id]);
      expect(await outboxSize()).toBe(0);
      await replica.stop();
    });

    it('when two replicas relay side by side, then every event left in the outbox is published exactly once, in commit order per entity', async () => {
      // Arrange
      const { clock, bus, relay, commitWhileDown, outboxSize } = setUp(subject.store);
      const entities = Array.from({ length: 6 }, () => unique('job'));
      const events = await commitWhileDown([...entities, ...entities]);
      const [first, second] = [relay('replica-a'), relay('replica-b')];
      clock.advance(GRACE_MS + 1);

      // Act
      await Promise.all([first.runOnce(), second.runOnce()]);
      await Promise.all([first.runOnce(), second.runOnce()]);
      await Promise.all([first.stop(), second.stop()]);
      const third = relay('replica-c');
      await third.runOnce();

      // Assert
      const ids = bus.published.map((each) => each.id);
      expect([...ids].sort()).toEqual(events.map((event) => event.id).sort());
      for (const entityId of entities) {
        const ofEntity = (list: DomainEvent[]) => list.filter((event) => event.entityId === entityId).map((e) => e.id);
        expect(ofEntity(bus.published)).toEqual(ofEntity(events));
      }
      expect(await outboxSize()).toBe(0);
      await third.stop();
    });

    it('when the relay cannot publish either, then the events stay in the outbox and a later round publishes them once', async () => {
      // Arrange
      const { clock, bus, relay, commitWhileDown, outboxSize } = setUp(subject.store);
      const events = await commitWhileDown([unique('job'), unique('job')]);
      const replica = relay('replica-a');
      clock.advance(GRACE_MS + 1);

      // Act
      bus.state.down = true;
      const whileDown = await replica.runOnce();
      const leftWhileDown = await outboxSize();
      bus.state.down = false;
      const afterwards = await replica.runOnce();

      // Assert
      expect([whileDown, leftWhileDown, afterwards]).toEqual([0, 2, 2]);
      expect(bus.published.map((each) => each.id).sort()).toEqual(events.map((event) => event.id).sort());
      await replica.stop();
    });
  });
};
