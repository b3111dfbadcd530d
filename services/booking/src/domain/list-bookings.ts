import { forbidden, isAdmin, type Actor, parseInput } from '@sitter/ports';
import { Keys, publicView, type Booking, type BookingRecord } from './booking';
import type { BookingContext } from './context';
import { indexPage } from './customer-index';
import { decodeCursor, encodeCursor } from './cursor';
import { listBookingsSchema } from './validation';

export interface BookingPage {
  items: Booking[];
  /** Pass as `after` for the next page; null on the last page. */
  cursor: string | null;
}

/** One customer's bookings in one status, newest first. Customers list their own; admins anyone's. */
export const listBookings =
  (context: BookingContext) =>
  async (actor: Actor, query: unknown): Promise<BookingPage> => {
    const { customer, status, limit, after } = parseInput(listBookingsSchema, query);
    if (actor.username !== customer && !isAdmin(actor)) throw forbidden('you can list only your own bookings');
    const page = await indexPage(context.store, customer, status, limit, after ? decodeCursor(after) : undefined);
    const records = await context.store.getBulk<BookingRecord>(page.entries.map((entry) => Keys.booking(entry.id)));
    const items = page.entries
      .map((entry) => records.get(Keys.booking(entry.id))?.value)
      .filter((record): record is BookingRecord => record !== undefined)
      .map(publicView);
    const last = page.entries.at(-1);
    return { items, cursor: page.more && last ? encodeCursor(last) : null };
  };
