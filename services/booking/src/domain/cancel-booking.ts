import { conflict, forbidden, isAdmin, notFound, type Actor, parseInput, retryOnConflict } from '@sitter/ports';
import { Keys, publicView, type Booking } from './booking';
import { errorMessage, type BookingContext } from './context';
import type { AdvanceBooking } from './saga';
import { cancelled } from './transitions';
import { cancelBookingSchema } from './validation';

/**
 * The customer (or an admin) cancels an UNCONFIRMED or CONFIRMED booking. The answer is the
 * cancelled booking; compensation (job reopened, refund if paid) runs right after and, should it
 * fail, is finished by the scheduler.
 */
export const cancelBooking =
  (context: BookingContext, advance: AdvanceBooking) =>
  async (actor: Actor, id: string, rawInput: unknown): Promise<Booking> => {
    const { reason } = parseInput(cancelBookingSchema, rawInput ?? {});
    const booking = await context.leases.run(id, () =>
      retryOnConflict('the booking', async () => {
        const entry = await context.repository.load(id);
        if (!entry) throw notFound(`booking '${id}' does not exist`);
        const record = entry.value;
        if (actor.username !== record.customer && !isAdmin(actor)) {
          throw forbidden('only the customer or an admin can cancel this booking');
        }
        if (record.status === 'CANCELLED') throw conflict('the booking is already cancelled');
        const byCustomer = actor.username === record.customer;
        const why = reason ?? (byCustomer ? 'cancelled by the customer' : 'cancelled by an admin');
        const next = cancelled(record, why, context.clock.now());
        await context.repository.update(
          entry,
          next,
          [{ operation: 'delete', key: Keys.paymentToken(id) }],
          actor.username,
        );
        context.log.info('booking cancelled', { bookingId: id, by: actor.username, wasStatus: record.status });
        return next;
      }),
    );
    await advance(id).catch((error: unknown) =>
      context.log.warn('compensation after a cancellation failed; the scheduler retries it', {
        bookingId: id,
        reason: errorMessage(error),
      }),
    );
    return publicView(booking);
  };
