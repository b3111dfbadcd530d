import { forbidden, isAdmin, notFound, type Actor } from '@sitter/ports';
import { publicView, type Booking } from './booking';
import type { BookingContext } from './context';

/** A booking is visible to its customer, its booked nanny and admins. */
export const getBooking =
  (context: BookingContext) =>
  async (actor: Actor, id: string): Promise<Booking> => {
    const entry = await context.repository.load(id);
    if (!entry) throw notFound(`booking '${id}' does not exist`);
    const booking = entry.value;
    if (actor.username !== booking.customer && actor.username !== booking.nanny && !isAdmin(actor)) {
      throw forbidden('only the customer, the booked nanny or an admin can see this booking');
    }
    return publicView(booking);
  };
