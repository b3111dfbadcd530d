import { forbidden, isAdmin, notFound, type Actor } from '@sitter/ports';
import { bookingKey, type Booking } from './booking';
import type { BookingDomainDeps } from './ports';

/** A booking is visible to its two parties and to admins. */
export const getBooking =
  ({ store }: Pick<BookingDomainDeps, 'store'>) =>
  async (actor: Actor, id: string): Promise<Booking> => {
    const entry = await store.get<Booking>(bookingKey(id));
    if (!entry) throw notFound(`booking '${id}' does not exist`);
    const booking = entry.value;
    if (actor.username !== booking.customer && actor.username !== booking.nanny && !isAdmin(actor)) {
      throw forbidden('only the customer, the booked nanny or an admin can see this booking');
    }
    return booking;
  };
