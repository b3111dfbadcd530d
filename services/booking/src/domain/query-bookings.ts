import {
  badInput,
  forbidden,
  isAdmin,
  matchesFilter,
  parseFilter,
  parseInput,
  parseSortBy,
  planRangeQuery,
  type Actor,
  type TextRange,
} from '@sitter/ports';
import { BOOKING_STATUSES, Keys, publicView, type BookingRecord } from './booking';
import type { BookingContext } from './context';
import { indexPage, newestFirst, type IndexEntry } from './customer-index';
import { decodeCursor, encodeCursor } from './cursor';
import type { BookingPage } from './list-bookings';
import { listBookingsSchema } from './validation';

/**
 * `POST /bookings/queries`: one customer's bookings by a filter, newest first, served by the per-customer index
 * (one per status, paged by month of creation): `status` anything (also inside and/or/not), `createdOn` (the
 * booking's createdAt) a range at the top level. Anything else is BAD_USER_INPUT naming it.
 */
export const BOOKING_FILTER_FIELDS = ['status', 'createdOn'] as const;

const querySchema = listBookingsSchema.pick({ customer: true, limit: true, after: true });

/** Just above the range's newest end, and just below its oldest: index positions. */
const topOf = (range: TextRange): IndexEntry | undefined =>
  range.upper && { createdAt: range.upper.value, id: range.upper.inclusive ? '\uffff' : '' };
const bottomOf = (range: TextRange): IndexEntry | undefined =>
  range.lower && { createdAt: range.lower.value, id: range.lower.inclusive ? '' : '\uffff' };
const olderOf = (a: IndexEntry | undefined, b: IndexEntry | undefined) =>
  !a ? b : !b ? a : newestFirst(a, b) > 0 ? a : b;

export const queryBookings =
  (context: BookingContext) =>
  async (actor: Actor, raw: Record<string, unknown>): Promise<BookingPage> => {
    const { customer, limit, after } = parseInput(
      querySchema,
      {
        customer: raw.customer,
        limit: raw.limit ?? undefined,
        after: raw.after === '' || raw.after === null ? undefined : raw.after,
      },
      { after: 'afterCursor' },
    );
    if (actor.username !== customer && !isAdmin(actor)) throw forbidden('you can list only your own bookings');
    const filter = parseFilter(raw.filter, BOOKING_FILTER_FIELDS);
    const sortBy = parseSortBy(raw.sortBy, ['createdOn'], { field: 'createdOn', direction: 'DESC' });
    if (sortBy.direction !== 'DESC') {
      throw badInput('sortBy.direction', 'sortBy.direction: the bookings index is read newest first only (DESC)');
    }
    const plan = planRangeQuery(
      filter,
      { field: 'status', values: BOOKING_STATUSES },
      'createdOn',
      'the bookings index',
    );
    const from = olderOf(after ? decodeCursor(after) : undefined, topOf(plan.range));
    const lists = await Promise.all(
      plan.partitions.map((status) => indexPage(context.store, customer, status, limit, from, bottomOf(plan.range))),
    );
    const merged = lists.flatMap((list) => list.entries).sort(newestFirst);
    const page = merged.slice(0, limit);
    const more = merged.length > limit || lists.some((list) => list.more);
    const records = await context.store.getBulk<BookingRecord>(page.map((entry) => Keys.booking(entry.id)));
    // A booking whose status changed between the index read and this one no longer matches and is left out.
    const items = page
      .map((entry) => records.get(Keys.booking(entry.id))?.value)
      .filter((record): record is BookingRecord => record !== undefined)
      .filter((record) => matchesFilter({ status: record.status, createdOn: record.createdAt }, filter))
      .map(publicView);
    const last = page.at(-1);
    return { items, cursor: more && last ? encodeCursor(last) : null };
  };
