import {
  EVENTS_BY_ENTITY,
  allEventsOf,
  getBooking,
  jobWithApplicants,
  processBooking,
  signUp,
  type EventView,
} from './support/fixtures';
import { errorCodes, startTestSystem, uniqueName, type TestSystem } from './support/harness';

type EventsPage = { eventsByEntity: { items: EventView[]; cursor: string | null } };

const EVENTS_BY_TYPE = /* GraphQL */ `
  query ($type: EventType!, $from: String, $to: String, $limit: Int, $after: String) {
    eventsByType(type: $type, from: $from, to: $to, limit: $limit, afterCursor: $after) {
      items {
        id
        type
        entityId
        createdAt
      }
      cursor
    }
  }
`;
const UPDATE_USER = `mutation ($user: UpdateUserInput!) { updateUser(user: $user) { username } }`;

/** The periods around an instant at each precision a bound may have, as `from`/`to` texts. */
const periodsAround = (instant: string) => {
  const at = new Date(instant);
  const minute = (offset: number) => new Date(at.getTime() + offset * 60_000).toISOString().slice(0, 16) + 'Z';
  const day = (offset: number) => new Date(at.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  const year = at.getUTCFullYear();
  const month = (offset: number) => {
    const shifted = new Date(Date.UTC(year, at.getUTCMonth() + offset, 1));
    return shifted.toISOString().slice(0, 7);
  };
  return {
    year: { same: String(year), before: String(year - 1), after: String(year + 1) },
    month: { same: month(0), before: month(-1), after: month(1) },
    day: { same: day(0), before: day(-1), after: day(1) },
    minute: { same: minute(0), before: minute(-1), after: minute(1) },
  };
};

describe('the events API (eventsByEntity, eventsByType)', () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem();
  });
  afterAll(async () => {
    await t.stop();
  });

  const adminToken = () => t.tokenFor(uniqueName('admin'), 'ADMIN');

  it('when a booking is made and confirmed, then its events are BOOKING_REQUESTED then BOOKING_CONFIRMED, once each, naming the request and who acted', async () => {
    const { parent, job, applications } = await jobWithApplicants(t, 1);
    const requestId = uniqueName('req-');

    const response = await t.gql<{ processBooking: { id: string } }>(
      `mutation ($input: ProcessBookingInput!) { processBooking(input: $input) { id } }`,
      { input: { jobId: job.id, applicationId: applications[0].id, paymentToken: 'tok_visa' } },
      { token: parent.token, headers: { 'x-request-id': requestId } },
    );
    await t.system.runtime.broker.drain();
    const bookingId = response.data!.processBooking.id;
    const events = await allEventsOf(t, parent.token, 'BOOKING', bookingId);

    expect(events.map((event) => event.type)).toEqual(['BOOKING_REQUESTED', 'BOOKING_CONFIRMED']);
    expect(events[0]).toMatchObject({ entity: 'BOOKING', entityId: bookingId, requestId, actor: parent.username });
    expect(events[1]).toMatchObject({ actor: 'system' });
    expect(JSON.parse(events[1].value)).toMatchObject({ id: bookingId, status: 'CONFIRMED' });
    expect(JSON.parse(events[1].value)).not.toHaveProperty('saga');
  });

  it('when a profile is created, updated twice and deactivated, then it has exactly those four events in order', async () => {
    const user = await signUp(t, 'PARENT');
    const admin = adminToken();

    await t.gql(UPDATE_USER, { user: { username: user.username, about: 'one' } }, { token: user.token });
    await t.gql(UPDATE_USER, { user: { username: user.username, about: 'two' } }, { token: user.token });
    await t.gql(
      `mutation ($u: String!) { updateUserStatus(username: $u, status: DEACTIVATED) { status } }`,
      { u: user.username },
      { token: admin },
    );
    const events = await allEventsOf(t, admin, 'USER', user.username);

    expect(events.map((event) => event.type)).toEqual([
      'USER_CREATED',
      'USER_UPDATED',
      'USER_UPDATED',
      'USER_STATUS_CHANGED',
    ]);
    expect(events.map((event) => JSON.parse(event.value).about ?? null)).toEqual([null, 'one', 'two', 'two']);
  });

  it.each(['year', 'month', 'day', 'minute'] as const)(
    'when the window is given at %s precision, then the period holding the event finds it and the periods before and after do not',
    async (precision) => {
      const user = await signUp(t, 'NANNY');
      const [created] = await allEventsOf(t, user.token, 'USER', user.username);
      const periods = periodsAround(created.createdAt)[precision];
      const count = async (from: string, to: string) => {
        const response = await t.gql<EventsPage>(
          EVENTS_BY_ENTITY,
          { entity: 'USER', id: user.username, from, to },
          { token: user.token },
        );
        return response.data!.eventsByEntity.items.length;
      };

      const same = await count(periods.same, periods.same);
      const before = await count(periods.before, periods.before);
      const after = await count(periods.after, periods.after);
      const spanning = await count(periods.before, periods.after);

      expect([same, before, after, spanning]).toEqual([1, 0, 0, 1]);
    },
  );

  it.each([
    ['from', '2026-13'],
    ['from', '2026-02-30'],
    ['from', '2026-12-01T10:00'],
    ['from', 'yesterday'],
    ['to', '2026-12-01T24:00Z'],
    ['to', '26'],
  ])('when %s is %p, then BAD_USER_INPUT naming it', async (field, value) => {
    const user = await signUp(t, 'PARENT');

    const response = await t.gql(
      EVENTS_BY_ENTITY,
      { entity: 'USER', id: user.username, [field]: value },
      {
        token: user.token,
      },
    );

    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors?.[0].extensions?.field).toBe(field);
  });

  it('when to is before from, then BAD_USER_INPUT naming to', async () => {
    const user = await signUp(t, 'PARENT');

    const response = await t.gql(
      EVENTS_BY_ENTITY,
      { entity: 'USER', id: user.username, from: '2026-12', to: '2026-11' },
      { token: user.token },
    );

    expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
  });

  it("when a user asks for another user's, job's or booking's events, then FORBIDDEN; the booking's nanny may read it", async () => {
    const { parent, job, nannies, applications } = await jobWithApplicants(t, 1);
    const booking = await processBooking(t, parent.token, {
      jobId: job.id,
      applicationId: applications[0].id,
      paymentToken: 'tok_visa',
    });
    const stranger = await signUp(t, 'PARENT');

    const asStranger = await Promise.all(
      [
        ['USER', parent.username],
        ['JOB', job.id],
        ['APPLICATION', applications[0].id],
        ['BOOKING', booking.id],
      ].map(([entity, id]) => t.gql(EVENTS_BY_ENTITY, { entity, id }, { token: stranger.token })),
    );
    const asNanny = await allEventsOf(t, nannies[0].token, 'BOOKING', booking.id);
    const applicationAsOwner = await allEventsOf(t, parent.token, 'APPLICATION', applications[0].id);

    expect(asStranger.map(errorCodes)).toEqual([['FORBIDDEN'], ['FORBIDDEN'], ['FORBIDDEN'], ['FORBIDDEN']]);
    expect(asNanny.length).toBeGreaterThan(0);
    expect(applicationAsOwner.map((event) => event.type)[0]).toBe('APPLICATION_SUBMITTED');
  });

  it('when events are read one per page, then the cursors walk them all once, in order, and the last page has no cursor', async () => {
    const user = await signUp(t, 'PARENT');
    for (const about of ['a', 'b', 'c']) {
      await t.gql(UPDATE_USER, { user: { username: user.username, about } }, { token: user.token });
    }

    const seen: EventView[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const response: { data?: EventsPage | null } = await t.gql<EventsPage>(
        EVENTS_BY_ENTITY,
        { entity: 'USER', id: user.username, limit: 1, after },
        { token: user.token },
      );
      seen.push(...response.data!.eventsByEntity.items);
      after = response.data!.eventsByEntity.cursor;
      pages += 1;
    } while (after !== null && pages < 10);

    expect(seen.map((event) => event.type)).toEqual(['USER_CREATED', 'USER_UPDATED', 'USER_UPDATED', 'USER_UPDATED']);
    expect(new Set(seen.map((event) => event.id)).size).toBe(4);
  });

  it('when an ADMIN asks for a type within a minute, then the events of that type in it are listed across entities', async () => {
    const first = await signUp(t, 'PARENT');
    const second = await signUp(t, 'NANNY');
    const admin = adminToken();
    const [created] = await allEventsOf(t, admin, 'USER', second.username);
    const minute = periodsAround(created.createdAt).minute;

    const response = await t.gql<{ eventsByType: { items: Array<{ type: string; entityId: string }> } }>(
      EVENTS_BY_TYPE,
      { type: 'USER_CREATED', from: minute.before, to: minute.after, limit: 100 },
      { token: admin },
    );
    const asParent = await t.gql(EVENTS_BY_TYPE, { type: 'USER_CREATED' }, { token: first.token });

    const ids = response.data!.eventsByType.items.map((item) => item.entityId);
    expect(ids).toEqual(expect.arrayContaining([first.username, second.username]));
    expect(response.data!.eventsByType.items.every((item) => item.type === 'USER_CREATED')).toBe(true);
    expect(errorCodes(asParent)).toEqual(['FORBIDDEN']);
  });

  it('when a booking is cancelled by its customer, then BOOKING_CANCELLED names the customer as the actor', async () => {
    const { parent, job, applications } = await jobWithApplicants(t, 1);
    const booking = await processBooking(t, parent.token, {
      jobId: job.id,
      applicationId: applications[0].id,
      paymentToken: 'tok_visa',
    });
    await t.system.runtime.broker.drain();

    await t.gql(
      `mutation ($id: ID!) { cancelBooking(id: $id) { status } }`,
      { id: booking.id },
      { token: parent.token },
    );
    await t.system.runtime.broker.drain();
    const events = await allEventsOf(t, parent.token, 'BOOKING', booking.id);

    expect((await getBooking(t, parent.token, booking.id)).data?.getBooking?.status).toBe('CANCELLED');
    expect(events.map((event) => [event.type, event.actor])).toEqual([
      ['BOOKING_REQUESTED', parent.username],
      ['BOOKING_CONFIRMED', 'system'],
      ['BOOKING_CANCELLED', parent.username],
    ]);
  });
});
