import { randomUUID } from 'node:crypto';
import { AppError, ConcurrencyConflictError } from '@sitter/ports';
import { createBookingUseCases } from '../../src/domain';
import { nanny, parent, rejection, testDomain } from '../support/domain';

const setup = (newId?: () => string) => {
  const deps = testDomain(newId);
  const customer = parent();
  deps.accounts.set(customer.username, 'ACTIVE');
  const jobId = randomUUID();
  const applicationId = randomUUID();
  const others = [randomUUID(), randomUUID()];
  deps.reservations.answer(jobId, { nanny: 'mary-poppins', otherPendingApplicationIds: others });
  return { deps, bookings: createBookingUseCases(deps), customer, jobId, applicationId, others };
};

describe('createBooking', () => {
  it('when an active parent books a pending application, then a CONFIRMED booking is stored', async () => {
    const { deps, bookings, customer, jobId, applicationId } = setup();

    const booking = await bookings.createBooking(customer, { jobId, applicationId });

    expect(booking).toEqual({
      id: expect.any(String),
      jobId,
      applicationId,
      customer: customer.username,
      nanny: 'mary-poppins',
      status: 'CONFIRMED',
      createdAt: '2030-05-06T07:08:09.000Z',
      updatedAt: '2030-05-06T07:08:09.000Z',
    });
    expect((await deps.store.get(`booking:${booking.id}`))?.value).toEqual(booking);
    expect(deps.reservations.reserved).toEqual([{ actor: customer, jobId, applicationId }]);
    expect(deps.reservations.released).toEqual([]);
  });

  it('when the job had other pending applications, then one decline request is made for each', async () => {
    const { deps, bookings, customer, jobId, applicationId, others } = setup();

    await bookings.createBooking(customer, { jobId, applicationId });

    expect(deps.declines.requested).toEqual(
      others.map((otherId) => ({
        version: 1,
        applicationId: otherId,
        jobId,
        reason: 'another nanny was booked',
        source: 'booking',
        requestedAt: '2030-05-06T07:08:09.000Z',
      })),
    );
  });

  it('when the caller is not a parent, then FORBIDDEN before anything is reserved', async () => {
    const { deps, bookings, jobId, applicationId } = setup();
    const caller = nanny();
    deps.accounts.set(caller.username, 'ACTIVE');

    const error = await rejection(bookings.createBooking(caller, { jobId, applicationId }));

    expect(error.code).toBe('FORBIDDEN');
    expect(deps.reservations.reserved).toEqual([]);
  });

  it.each([
    ['DEACTIVATED', 'your account is deactivated'],
    ['MISSING', 'create your user profile first'],
  ] as const)('when the account is %s, then FORBIDDEN and nothing is reserved', async (status, message) => {
    const { deps, bookings, customer, jobId, applicationId } = setup();
    deps.accounts.set(customer.username, status);

    const error = await rejection(bookings.createBooking(customer, { jobId, applicationId }));

    expect(error).toMatchObject({ code: 'FORBIDDEN', message });
    expect(deps.reservations.reserved).toEqual([]);
  });

  const invalid: Array<[string, string, unknown]> = [
    ['input', 'not an object', 'job-1'],
    ['jobId', 'missing', { applicationId: 'a' }],
    ['jobId', 'blank', { jobId: '  ', applicationId: 'a' }],
    ['applicationId', 'not a string', { jobId: 'j', applicationId: 7 }],
    ['applicationId', 'longer than 128', { jobId: 'j', applicationId: 'a'.repeat(129) }],
    ['nanny', 'an unknown field', { jobId: 'j', applicationId: 'a', nanny: 'someone' }],
  ];

  it.each(invalid)('when %s is %s, then BAD_USER_INPUT names it', async (field, _case, input) => {
    const { deps, bookings, customer } = setup();

    const error = await rejection(bookings.createBooking(customer, input));

    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(deps.reservations.reserved).toEqual([]);
  });

  it.each(['FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'BAD_USER_INPUT'] as const)(
    'when the job service refuses with %s, then that error reaches the caller and nothing is stored',
    async (code) => {
      const { deps, bookings, customer, jobId, applicationId } = setup();
      deps.reservations.answer(jobId, new AppError(code, 'refused by the job service'));

      const error = await rejection(bookings.createBooking(customer, { jobId, applicationId }));

      expect(error).toMatchObject({ code, message: 'refused by the job service' });
      expect(deps.store.size).toBe(0);
      expect(deps.declines.requested).toEqual([]);
    },
  );

  it('when the booking cannot be stored, then the reservation is released and the store error is rethrown', async () => {
    const takenId = randomUUID();
    const { deps, bookings, customer, jobId, applicationId } = setup(() => takenId);
    await deps.store.save(`booking:${takenId}`, { placeholder: true });

    const error = await bookings.createBooking(customer, { jobId, applicationId }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ConcurrencyConflictError);
    expect(deps.reservations.released).toEqual([{ actor: customer, jobId, applicationId }]);
    expect(deps.declines.requested).toEqual([]);
    expect((await deps.store.get(`booking:${takenId}`))?.value).toEqual({ placeholder: true });
  });
});
