import { DAY, MINUTE } from '../support/clock';
import { startSystem, type Person, type System } from '../support/system';

let system: System;

beforeAll(async () => {
  system = await startSystem();
});

afterAll(async () => {
  await system.stop();
});

type Page = { items: Array<{ id: string; status: string }>; cursor: string | null };

const query = async (actor: Person, body: Record<string, unknown>): Promise<Page> => {
  const response = await system.query(actor, body);
  if (response.status !== 200) throw new Error(`POST /bookings/queries answered ${response.status}: ${response.text}`);
  return response.body as Page;
};

/** Every page's ids, following the cursors. */
const allIds = async (actor: Person, body: Record<string, unknown>): Promise<string[][]> => {
  const pages: string[][] = [];
  let after: string | null = null;
  do {
    const page: Page = await query(actor, { ...body, after });
    pages.push(page.items.map((item) => item.id));
    after = page.cursor;
  } while (after);
  return pages;
};

describe('queryBookings', () => {
  it('when a customer has no bookings, then the page is empty without a cursor', async () => {
    const owner = await system.person('PARENT');

    const page = await query(owner, { customer: owner.username, filter: { status: { eq: 'CONFIRMED' } } });

    expect(page).toEqual({ items: [], cursor: null });
  });

  it('when bookings of two statuses over several months are paged, then they merge newest first', async () => {
    const { owner, ids } = await system.bookingsOf(5, 'tok_visa', 20 * DAY);
    await system.cancel(owner, ids[3]);
    await system.settle();

    const pages = await allIds(owner, {
      customer: owner.username,
      filter: { status: { in: ['CONFIRMED', 'CANCELLED'] } },
      limit: 2,
    });

    expect(pages).toEqual([[ids[4], ids[3]], [ids[2], ids[1]], [ids[0]]]);
  });

  it('when createdOn narrows to a month or a window, then only those bookings come back', async () => {
    const { owner, ids, bookings } = await system.bookingsOf(4, 'tok_visa', 20 * DAY);
    const base = { customer: owner.username, filter: { status: { eq: 'CONFIRMED' } } };

    const month = await query(owner, {
      ...base,
      filter: { ...base.filter, createdOn: { beginsWith: bookings[1].createdAt.slice(0, 7) } },
    });
    const window = { and: [base.filter, { createdOn: { gt: bookings[0].createdAt, lte: bookings[2].createdAt } }] };
    const first = await query(owner, { ...base, filter: window, limit: 1 });
    const second = await query(owner, { ...base, filter: window, limit: 1, after: first.cursor });

    expect(month.items.map((item) => item.id)).toEqual(
      ids.filter((_id, index) => bookings[index].createdAt.startsWith(bookings[1].createdAt.slice(0, 7))).reverse(),
    );
    // One booking a page: the index walk starts at the window's top and ends at its bottom (no empty pages).
    expect(first.items.map((item) => item.id)).toEqual([ids[2]]);
    expect(second).toEqual({ items: [expect.objectContaining({ id: ids[1] })], cursor: null });
  });

  it('when a booking not yet shown is cancelled between pages, then it shows once, CANCELLED', async () => {
    const { owner, ids } = await system.bookingsOf(3, 'tok_timeout', MINUTE);
    const body = { customer: owner.username, filter: { not: { status: { eq: 'CONFIRMED' } } }, limit: 1 };
    const first = await query(owner, body);

    await system.cancel(owner, ids[0]);
    await system.settle();
    const rest = await allIds(owner, { ...body, after: undefined, limit: 5 });
    const second = await query(owner, { ...body, after: first.cursor, limit: 5 });

    expect(first.items.map((item) => item.id)).toEqual([ids[2]]);
    expect(second.items.map((item) => [item.id, item.status])).toEqual([
      [ids[1], 'UNCONFIRMED'],
      [ids[0], 'CANCELLED'],
    ]);
    expect(rest).toEqual([[ids[2], ids[1], ids[0]]]);
  });

  it('when the filter needs what the index does not keep, then it is 400 naming that part', async () => {
    const owner = await system.person('PARENT');

    const response = await system.query(owner, {
      customer: owner.username,
      filter: { createdOn: { contains: 'T10' } },
    });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.createdOn.contains' });
  });

  it("when a customer asks for another customer's bookings, then it is 403", async () => {
    const owner = await system.person('PARENT');
    const other = await system.person('PARENT');

    const response = await system.query(other, { customer: owner.username });

    expect(response.status).toBe(403);
  });
});
