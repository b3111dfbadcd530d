import type { Change, Clock, DomainEvent, EventLog, StateEntry, StateStore, TransactionOperation } from '@sitter/ports';
import { isDeepStrictEqual } from 'node:util';
import { Keys, publicView, type Booking, type BookingRecord } from './booking';
import { indexAdd, indexRemove } from './customer-index';
import { dueIndexWrite } from './due-index';
import { nextCheckAt } from './steps';

/** A booking's change as its domain event: its public view (never the saga's bookkeeping), for both parties. */
const bookingChange = (record: BookingRecord): Change<Booking> => ({
  type:
    record.status === 'CONFIRMED'
      ? 'BOOKING_CONFIRMED'
      : record.status === 'CANCELLED'
        ? 'BOOKING_CANCELLED'
        : 'BOOKING_UPDATED',
  entity: 'BOOKING',
  entityId: record.id,
  owners: [record.customer, record.nanny],
  value: publicView(record),
});

/**
 * Stores bookings together with their index entries (per customer and status, and the scheduler's
 * due list) and, when what the booking shows changed, its domain event, in one transaction, each write
 * conditional on what was read. A conflict rejects with ConcurrencyConflictError and nothing is written;
 * callers re-read and decide again.
 */
export class BookingRepository {
  constructor(
    private readonly store: StateStore,
    private readonly clock: Clock,
    private readonly stepRetryMs: number,
    private readonly events: EventLog,
  ) {}

  load(id: string): Promise<StateEntry<BookingRecord> | undefined> {
    return this.store.get<BookingRecord>(Keys.booking(id));
  }

  async create(record: BookingRecord, extra: readonly TransactionOperation[] = []): Promise<void> {
    const entry = { id: record.id, createdAt: record.createdAt };
    const requested = this.events.stamp({ ...bookingChange(record), type: 'BOOKING_REQUESTED' }, record.customer);
    await this.commit(
      record,
      [
        { operation: 'upsert', key: Keys.booking(record.id), value: record, onlyIfAbsent: true },
        ...(await indexAdd(this.store, record.customer, record.status, entry)),
        ...extra,
      ],
      [requested],
    );
  }

  /** `actor`: who made the change, when a person did (a cancellation); the saga's own steps are `system`. */
  async update(
    before: StateEntry<BookingRecord>,
    after: BookingRecord,
    extra: readonly TransactionOperation[] = [],
    actor?: string,
  ): Promise<void> {
    const operations: TransactionOperation[] = [
      { operation: 'upsert', key: before.key, value: after, etag: before.etag },
    ];
    if (before.value.status !== after.status) {
      const entry = { id: after.id, createdAt: after.createdAt };
      operations.push(...(await indexRemove(this.store, after.customer, before.value.status, entry)));
      operations.push(...(await indexAdd(this.store, after.customer, after.status, entry)));
    }
    const shown = !isDeepStrictEqual(publicView(before.value), publicView(after));
    await this.commit(after, [...operations, ...extra], shown ? [this.events.stamp(bookingChange(after), actor)] : []);
  }

  /** Brings the booking's place in the due list up to date (the scheduler calls it after a visit). */
  async reschedule(id: string, record: BookingRecord | undefined): Promise<void> {
    const dueAt = record ? nextCheckAt(record, this.clock.now(), this.stepRetryMs) : undefined;
    const operation = await dueIndexWrite(this.store, id, dueAt);
    if (operation) await this.store.transact([operation]);
  }

  private async commit(
    record: BookingRecord,
    operations: TransactionOperation[],
    events: readonly DomainEvent[],
  ): Promise<void> {
    const due = await dueIndexWrite(this.store, record.id, nextCheckAt(record, this.clock.now(), this.stepRetryMs));
    await this.events.commit(due ? [...operations, due] : operations, events);
  }
}
