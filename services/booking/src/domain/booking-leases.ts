import { LeaseBusyError, Leases, type HeldLease, type StateStore } from '@sitter/ports';
import { KeyedLock } from './keyed-lock';

export const bookingLeaseKey = (bookingId: string): string => `booking-lease:${bookingId}`;

/**
 * One advancer per booking across every replica: work on a booking runs holding the booking's lease in the
 * state store (`booking-lease:{id}`, see Leases), renewed while it runs. A replica that dies holding it is
 * taken over once it expires (`leaseTtlMs`). Within one process the KeyedLock queues callers first, so they
 * wait their turn in order instead of polling the store.
 */
export class BookingLeases {
  private readonly local = new KeyedLock();
  private readonly leases: Leases;

  constructor(
    store: StateStore,
    private readonly ttlMs: number,
  ) {
    this.leases = new Leases(store, { ttlMs });
  }

  /** Waits for the booking (long enough for a dead holder's lease to expire); LeaseBusyError after that. */
  run<T>(bookingId: string, work: (lease: HeldLease) => Promise<T>): Promise<T> {
    return this.local.run(bookingId, () => this.leases.run(bookingLeaseKey(bookingId), this.ttlMs * 1.5, work));
  }

  /** Runs `work` only if no other process is working on the booking now; undefined if one is. */
  async runIfFree<T>(bookingId: string, work: (lease: HeldLease) => Promise<T>): Promise<T | undefined> {
    try {
      return await this.local.run(bookingId, () => this.leases.run(bookingLeaseKey(bookingId), 0, work));
    } catch (error) {
      if (error instanceof LeaseBusyError && error.key === bookingLeaseKey(bookingId)) return undefined;
      throw error;
    }
  }
}
