import { z } from 'zod';
import type { AdvanceBooking } from './saga';

const eventSchema = z.object({ type: z.string(), bookingId: z.string().min(1) });

/**
 * Consumes `bookings.events`. BookingRequested starts the saga (reserve, then ask for payment);
 * the service's other events need nothing from it. Unreadable events are left to other consumers.
 */
export const handleBookingEvent =
  (advance: AdvanceBooking) =>
  async (data: unknown): Promise<void> => {
    const event = eventSchema.safeParse(data);
    if (event.success && event.data.type === 'BookingRequested') await advance(event.data.bookingId);
  };
