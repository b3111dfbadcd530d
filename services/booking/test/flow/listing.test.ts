import { DAY, MINUTE } from '../support/clock';
import { startSystem, support, type Person, type System } from '../support/system';

let system: System;

beforeAll(async () => {
  system = await startSystem();
});

afterAll(async () => {
  await system.stop();
});

const page = async (actor: Person, query: Record<string, string | number>) => {
  const response = await system.list(actor, query);
  if (response.status !== 200) throw new Error(`GET /bookings answered ${response.status}: ${response.text}`);
  return response.body as { items: Array<{ id: string; status: string }>; cursor: string | null };
};

describe('getBookingByStatus', () => {
  it('when a customer lists CONFIRMED bookings made over several months, then newest first, page by page', async () => {
    const { owner, ids } = await system.bookingsOf(5, 'tok_visa', 20 * DAY);
    const query = { customer: owner.username, status: 'CONFIRMED', limit: 2 };

    const first = await page(owner, query);
    const second = await page(owner, { ...query, after: first.cursor ?? '' });
    const third = await page(owner, { ...query, after: second.cursor ?? '' });

    expect(first.items.map((booking) => booking.id)).toEqual([ids[4], ids[3]]);
    expect(second.items.map((booking) => booking.id)).toEqual([ids[2], ids[1]]);
    expect(third.items.map((booking) => booking.id)).toEqual([ids[0]]);
    expect(third.cursor).toBeNull();
    expect(first.items.every((booking) => booking.status === 'CONFIRMED')).toBe(true);
    const head = await system.stateOf<{ months: string[] }>(
      'booking',
      `bookings-by-customer:${owner.username}:CONFIRMED`,
    );
    // Made on 1 and 21 March, 10 and 30 April, 20 May: three monthly pages.
    expect(head?.months).toEqual(['2031-05', '2031-04', '2031-03']);
  });

  it('when a booking changes status, then it moves from one list to the other', async () => {
    const { owner, ids } = await system.bookingsOf(2, 'tok_timeout', MINUTE);
    const unconfirmed = await page(owner, { customer: owner.username, status: 'UNCONFIRMED' });

    await system.cancel(owner, ids[0]);
    await system.settle();

    expect(unconfirmed.items.map((booking) => booking.id)).toEqual([ids[1], ids[0]]);
    expect((await page(owner, { customer: owner.username, status: 'UNCONFIRMED' })).items.map((b) => b.id)).toEqual([
      ids[1],
    ]);
    expect((await page(owner, { customer: owner.username, status: 'CANCELLED' })).items.map((b) => b.id)).toEqual([
      ids[0],
    ]);
  });

  it('when bookings are made while a customer pages, then the next page neither repeats nor skips', async () => {
    const { owner, ids } = await system.bookingsOf(3, 'tok_visa', MINUTE);
    const query = { customer: owner.username, status: 'CONFIRMED', limit: 2 };
    const first = await page(owner, query);

    const jobId = await system.postJob(owner);
    await system.bookOk(owner, {
      jobId,
      applicationId: await system.apply(await system.person('NANNY'), jobId),
      paymentToken: 'tok_visa',
    });
    await system.settle();
    const second = await page(owner, { ...query, after: first.cursor ?? '' });

    expect(first.items.map((booking) => booking.id)).toEqual([ids[2], ids[1]]);
    expect(second.items.map((booking) => booking.id)).toEqual([ids[0]]);
  });

  it('when the customer has no bookings in the status, then an empty page', async () => {
    const owner = await system.person('PARENT');

    expect(await page(owner, { customer: owner.username, status: 'CANCELLED' })).toEqual({ items: [], cursor: null });
  });

  it('when an admin lists a customer, then the bookings; another customer or a nanny is FORBIDDEN', async () => {
    const { owner, ids } = await system.bookingsOf(1, 'tok_visa', MINUTE);
    const query = { customer: owner.username, status: 'CONFIRMED' };

    expect((await page(support, query)).items.map((booking) => booking.id)).toEqual(ids);
    for (const stranger of [await system.person('PARENT'), await system.person('NANNY')]) {
      const response = await system.list(stranger, query);
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('FORBIDDEN');
    }
  });

  it.each([
    ['status', { status: 'PAID' }],
    ['limit', { limit: 0 }],
    ['limit', { limit: 101 }],
    ['limit', { limit: 'many' }],
    ['afterCursor', { after: 'not a cursor' }],
    ['afterCursor', { after: 'eyJ4IjoxfQ' }],
  ])('when %s is invalid (%j), then 400 BAD_USER_INPUT naming it', async (field, bad) => {
    const owner = await system.person('PARENT');

    const response = await system.list(owner, { customer: owner.username, status: 'CONFIRMED', ...bad });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });
});
