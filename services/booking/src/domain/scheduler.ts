import { randomUUID } from 'node:crypto';
import { Leases, type HeldLease } from '@sitter/ports';
import type { BookingContext } from './context';
import { errorMessage } from './context';
import { DUE_BUCKETS, listDueIn } from './due-index';
import type { AdvanceBooking } from './saga';

export const dueBucketLeaseKey = (bucket: number): string => `bookings-due-lease:${bucket}`;

export interface SweepOptions {
  /** Visit every listed booking, not only the due ones (on start-up). */
  everything?: boolean;
  /** How long this pass keeps the buckets it visits from other replicas: the sweep interval. */
  intervalMs: number;
}

export interface Sweeper {
  /** One pass; resolves with the number of bookings visited. */
  sweep(options: SweepOptions): Promise<number>;
  /** Gives up the buckets this replica holds (on shutdown), so another sweeps them at once. */
  release(): Promise<void>;
}

/**
 * The scheduler's passes, shared by the replicas: each due bucket (`bookings-due:{n}`) is swept by the replica
 * that holds its lease (`bookings-due-lease:{n}`), taken for one sweep interval and not released, so each bucket
 * is visited once per interval whatever the replica count. A replica keeps the buckets it holds from pass to
 * pass; the others take a bucket over when its lease lapses (its holder died or fell behind).
 *
 * A pass advances every booking whose due time has come (deadlines, and steps that a crash or a failure left
 * undone), skipping one another replica is advancing right now (its writes reschedule it). On start-up,
 * `everything` visits every booking the held buckets list, since nothing else resumes what a previous run was
 * doing.
 */
export const bookingSweeper = (context: BookingContext, advance: AdvanceBooking): Sweeper => {
  // Held bucket leases live here only to be released on shutdown; who holds a bucket is in the store.
  const held = new Map<number, HeldLease>();
  const holder = randomUUID();
  const leasesFor = (intervalMs: number) => new Leases(context.store, { ttlMs: intervalMs, holder });
  return {
    async sweep(options) {
      const leases = leasesFor(options.intervalMs);
      let visited = 0;
      for (let bucket = 0; bucket < DUE_BUCKETS; bucket += 1) {
        const lease = await leases.tryAcquire(dueBucketLeaseKey(bucket));
        if (!lease) {
          held.delete(bucket);
          continue;
        }
        held.set(bucket, lease);
        const due = await listDueIn(context.store, bucket, options.everything ? undefined : context.clock.now());
        for (const { id } of due) {
          try {
            await advance(id, { reschedule: true, skipIfBusy: true });
          } catch (error) {
            context.log.warn('scheduled booking step failed; it is retried on a later pass', {
              bookingId: id,
              reason: errorMessage(error),
            });
          }
        }
        visited += due.length;
      }
      return visited;
    },
    async release() {
      const leases = leasesFor(1);
      const leasesHeld = [...held.values()];
      held.clear();
      await Promise.all(leasesHeld.map((lease) => leases.release(lease).catch(() => undefined)));
    },
  };
};
