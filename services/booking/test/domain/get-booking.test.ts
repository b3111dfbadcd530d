import { randomUUID } from 'node:crypto';
import type { Actor } from '@sitter/ports';
import { createBookingUseCases, type Booking } from '../../src/domain';
import { admin, nanny, parent, rejection, testDomain } from '../support/domain';

const setup = async () => {
  const deps = testDomain();
  const customer = parent();
  const bookedNanny = nanny();
  const booking: Booking = {
    id: randomUUID(),
    jobId: randomUUID(),
    applicationId: randomUUID(),
    customer: customer.username,
    nanny: bookedNanny.username,
    status: 'CONFIRMED',
    createdAt: '2030-01-01T00:00:00.000Z',
    updatedAt: '2030-01-01T00:00:00.000Z',
  };
  await deps.store.save(`booking:${booking.id}`, booking);
  return { bookings: createBookingUseCases(deps), booking, customer, bookedNanny };
};

describe('getBooking', () => {
  it.each<[string, (parties: { customer: Actor; bookedNanny: Actor }) => Actor]>([
    ['the customer', ({ customer }) => customer],
    ['the booked nanny', ({ bookedNanny }) => bookedNanny],
    ['an admin', () => admin()],
  ])('when %s asks, then the booking is returned', async (_who, pick) => {
    const { bookings, booking, ...parties } = await setup();

    expect(await bookings.getBooking(pick(parties), booking.id)).toEqual(booking);
  });

  it.each<[string, Actor]>([
    ['another parent', parent()],
    ['another nanny', nanny()],
  ])('when %s asks, then FORBIDDEN', async (_who, stranger) => {
    const { bookings, booking } = await setup();

    const error = await rejection(bookings.getBooking(stranger, booking.id));

    expect(error.code).toBe('FORBIDDEN');
  });

  it('when the booking does not exist, then NOT_FOUND', async () => {
    const { bookings } = await setup();

    const error = await rejection(bookings.getBooking(admin(), randomUUID()));

    expect(error.code).toBe('NOT_FOUND');
  });
});
