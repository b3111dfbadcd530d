import { forbidden, hasRole, type Actor } from '@sitter/ports';
import type { DeclineRequest } from '@sitter/contracts';
import { DECLINE_REASON, bookingKey, type Booking } from './booking';
import type { BookingDomainDeps } from './ports';
import { createBookingSchema, parseInput } from './validation';

/**
 * Books the nanny of one application: the job service closes the job and accepts the
 * application atomically (so of racing bookings one wins), then the booking is stored and the
 * job's other pending applications are asked to be declined. Should storing fail, the
 * reservation is released so the job is not left closed without a booking.
 */
export const createBooking =
  (deps: BookingDomainDeps) =>
  async (actor: Actor, input: unknown): Promise<Booking> => {
    if (!hasRole(actor, 'PARENT')) throw forbidden('only a parent can book a nanny');
    const { jobId, applicationId } = parseInput(createBookingSchema, input);
    await requireActiveAccount(deps, actor);

    const reservation = await deps.reservations.reserve(actor, jobId, applicationId);
    const now = deps.clock.now().toISOString();
    const booking: Booking = {
      id: deps.newId(),
      jobId,
      applicationId,
      customer: actor.username,
      nanny: reservation.nanny,
      status: 'CONFIRMED',
      createdAt: now,
      updatedAt: now,
    };
    try {
      await deps.store.save(bookingKey(booking.id), booking, { onlyIfAbsent: true });
    } catch (error) {
      await deps.reservations.release(actor, jobId, applicationId);
      throw error;
    }

    await Promise.all(
      reservation.otherPendingApplicationIds.map((otherId) => {
        const decline: DeclineRequest = {
          version: 1,
          applicationId: otherId,
          jobId,
          reason: DECLINE_REASON,
          source: 'booking',
          requestedAt: now,
        };
        return deps.declines.request(decline);
      }),
    );
    return booking;
  };

const requireActiveAccount = async ({ accounts }: BookingDomainDeps, actor: Actor): Promise<void> => {
  const status = await accounts.statusOf(actor, actor.username);
  if (status === 'MISSING') throw forbidden('create your user profile first');
  if (status === 'DEACTIVATED') throw forbidden('your account is deactivated');
};
