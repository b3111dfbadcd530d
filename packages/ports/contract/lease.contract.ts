import { setTimeout as sleep } from 'node:timers/promises';
import { LeaseBusyError, Leases, type Clock } from '@sitter/ports';
import type { StateStoreHarness } from './state-store.contract';
import { unique } from './wait-for';

/** A clock the test moves, shared by every holder, so expiry needs no waiting. */
const movableClock = (): Clock & { advance(ms: number): void } => {
  let now = Date.parse('2031-03-01T09:00:00.000Z');
  return { now: () => new Date(now), advance: (ms) => (now += ms) };
};

const TTL_MS = 10_000;

/** Leases (packages/ports/src/lease.ts) on a real StateStore: one holder per key across processes. */
export const leaseContract = (name: string, harness: () => Promise<StateStoreHarness>): void => {
  describe(`leases: ${name}`, () => {
    let subject: StateStoreHarness;

    beforeEach(async () => {
      subject = await harness();
    });

    afterEach(async () => {
      await subject.teardown();
    });

    const holders = (count: number, clock: Clock) =>
      Array.from({ length: count }, () => new Leases(subject.store, { ttlMs: TTL_MS, clock }));

    it('when one holder has the lease, then another is refused until it is released, then gets it', async () => {
      // Arrange
      const key = unique('lease-release');
      const [first, second] = holders(2, movableClock());
      const held = await first.tryAcquire(key);
      const heldAtFirst = held?.held();

      // Act
      const whileHeld = await second.tryAcquire(key);
      await first.release(held!);
      const afterRelease = await second.tryAcquire(key);

      // Assert
      expect(heldAtFirst).toBe(true);
      expect(whileHeld).toBeUndefined();
      expect(held?.held()).toBe(false);
      expect(afterRelease?.held()).toBe(true);
    });

    it('when ten holders race for a free lease, then exactly one gets it', async () => {
      // Arrange
      const key = unique('lease-race');
      const racers = holders(10, movableClock());

      // Act
      const leases = await Promise.all(racers.map((racer) => racer.tryAcquire(key)));

      // Assert
      expect(leases.filter((lease) => lease !== undefined)).toHaveLength(1);
    });

    it('when the holder stops renewing, then another takes the lease over once it expires, and the first cannot renew it', async () => {
      // Arrange
      const key = unique('lease-expiry');
      const clock = movableClock();
      const [dead, survivor] = holders(2, clock);
      const stale = await dead.tryAcquire(key);
      clock.advance(TTL_MS - 1);
      const beforeExpiry = await survivor.tryAcquire(key);

      // Act
      clock.advance(1);
      const takenOver = await survivor.tryAcquire(key);
      const renewedByDead = await dead.renew(stale!);

      // Assert
      expect(beforeExpiry).toBeUndefined();
      expect(takenOver?.held()).toBe(true);
      expect(renewedByDead).toBe(false);
      expect(stale?.held()).toBe(false);
    });

    it('when the holder renews, then the lease outlives its first expiry and a late release by an old holder leaves it alone', async () => {
      // Arrange
      const key = unique('lease-renew');
      const clock = movableClock();
      const [holder, other] = holders(2, clock);
      const lease = await holder.tryAcquire(key);
      const staleCopy = { ...lease!, held: () => true };

      // Act
      clock.advance(TTL_MS / 2);
      const renewed = await holder.renew(lease!);
      clock.advance(TTL_MS / 2 + 1);
      const whileRenewed = await other.tryAcquire(key);
      await holder.release(staleCopy);
      const afterStaleRelease = await other.tryAcquire(key);

      // Assert
      expect(renewed).toBe(true);
      expect(whileRenewed).toBeUndefined();
      expect(afterStaleRelease).toBeUndefined();
      expect(lease?.held()).toBe(true);
    });

    it('when work runs under the lease for longer than its ttl, then run keeps it renewed and nobody else gets it meanwhile', async () => {
      // Arrange: real time, since run renews on a timer.
      const key = unique('lease-run');
      const ttlMs = 1_500;
      const [runner, other] = Array.from({ length: 2 }, () => new Leases(subject.store, { ttlMs }));
      const attempts: Array<boolean> = [];

      // Act
      const stillHeldAtEnd = await runner.run(key, 0, async (lease) => {
        for (let i = 0; i < 4; i += 1) {
          await sleep(ttlMs / 2);
          attempts.push((await other.tryAcquire(key)) !== undefined);
        }
        return lease.held();
      });
      const afterRun = await other.acquire(key, 0);

      // Assert
      expect(stillHeldAtEnd).toBe(true);
      expect(attempts).toEqual([false, false, false, false]);
      expect(afterRun.held()).toBe(true);
    }, 30_000);

    it('when the lease stays held for longer than the caller waits, then acquire rejects with LeaseBusyError', async () => {
      // Arrange
      const key = unique('lease-busy');
      const [holder, waiter] = holders(2, movableClock());
      await holder.tryAcquire(key);

      // Act
      const error = await waiter.acquire(key, 100).catch((rejection: unknown) => rejection);

      // Assert
      expect(error).toBeInstanceOf(LeaseBusyError);
    });
  });
};
