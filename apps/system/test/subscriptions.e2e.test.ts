import { apply, jobWithApplicants, postJob, processBooking, signUp } from './support/fixtures';
import { startTestSystem, uniqueName, type TestSystem } from './support/harness';
import { subscribeOverSse, subscribeOverWebSocket, waitUntil, webSocketClient } from './support/live-clients';

const BOOKING_UPDATED = `subscription ($id: ID!) { bookingUpdated(id: $id) { id status cancellationReason } }`;
const APPLICATION_UPDATED = `subscription ($jobId: ID!) { applicationUpdated(jobId: $jobId) { id nanny status } }`;
const MY_APPLICATION_UPDATED = `subscription { myApplicationUpdated { id jobId status declineReason } }`;
const JOB_POSTED = `subscription ($near: NearInput!) { jobPosted(near: $near) { distanceKm job { id city address } } }`;
const CANCEL = `mutation ($id: ID!) { cancelBooking(id: $id, reason: "plans changed") { status } }`;
const DEACTIVATE = `mutation ($u: String!) { updateUserStatus(username: $u, status: DEACTIVATED) { status } }`;

type BookingUpdated = { bookingUpdated: { id: string; status: string; cancellationReason: string | null } };
type ApplicationUpdated = { applicationUpdated: { id: string; nanny: string; status: string } };
type MyApplicationUpdated = {
  myApplicationUpdated: { id: string; jobId: string; status: string; declineReason: string | null };
};
type JobPosted = { jobPosted: { distanceKm: number; job: { id: string; city: string; address: string | null } } };

describe('subscriptions over WebSocket (graphql-ws) and SSE, on the embedded runtime', () => {
  let t: TestSystem;
  const clients: Array<ReturnType<typeof webSocketClient>> = [];
  const stops: Array<() => void> = [];
  beforeAll(async () => {
    t = await startTestSystem();
  });
  afterEach(async () => {
    for (const stop of stops.splice(0)) stop();
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
    await waitUntil(() => t.system.liveEvents.listenerCount === 0, 'the subscriptions to end');
  });
  afterAll(async () => {
    await t.stop();
  });

  const ws = (token?: string) => {
    const client = webSocketClient(t.system.url.replace('localhost', '127.0.0.1'), token);
    clients.push(client);
    return client;
  };
  const listeners = () => t.system.liveEvents.listenerCount;
  /** Subscriptions start listening after their checks; waits until `count` more listen than before. */
  const listening = (before: number, count: number) =>
    waitUntil(() => listeners() >= before + count, `${count} subscriptions to listen`);

  it('when a booking is cancelled, then its customer and its nanny each get CANCELLED once and another parent may not subscribe', async () => {
    const { parent, job, nannies, applications } = await jobWithApplicants(t, 1);
    const booking = await processBooking(t, parent.token, {
      jobId: job.id,
      applicationId: applications[0].id,
      paymentToken: 'tok_timeout',
    });
    const stranger = await signUp(t, 'PARENT');
    const before = listeners();

    const asCustomer = subscribeOverWebSocket<BookingUpdated>(ws(parent.token), BOOKING_UPDATED, { id: booking.id });
    const asNanny = subscribeOverWebSocket<BookingUpdated>(ws(nannies[0].token), BOOKING_UPDATED, { id: booking.id });
    const asStranger = subscribeOverWebSocket<BookingUpdated>(ws(stranger.token), BOOKING_UPDATED, { id: booking.id });
    await listening(before, 2);
    await waitUntil(() => asStranger.errors.length > 0, 'the stranger to be refused');
    await t.gql(CANCEL, { id: booking.id }, { token: parent.token });
    await t.system.runtime.broker.drain();
    await waitUntil(() => asCustomer.items.length > 0 && asNanny.items.length > 0, 'both parties to hear of it');
    await new Promise((resolve) => setTimeout(resolve, 200));

    const expected = { bookingUpdated: { id: booking.id, status: 'CANCELLED', cancellationReason: 'plans changed' } };
    expect(asCustomer.items).toEqual([expected]);
    expect(asNanny.items).toEqual([expected]);
    expect(asStranger.errors.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(asStranger.items).toEqual([]);
  });

  it("when nannies apply, then the job's owner hears of each application once and another parent may not subscribe", async () => {
    const parent = await signUp(t, 'PARENT');
    const other = await signUp(t, 'PARENT');
    const job = await postJob(t, parent.token);
    const before = listeners();

    const asOwner = subscribeOverWebSocket<ApplicationUpdated>(ws(parent.token), APPLICATION_UPDATED, {
      jobId: job.id,
    });
    const asOther = subscribeOverWebSocket<ApplicationUpdated>(ws(other.token), APPLICATION_UPDATED, { jobId: job.id });
    await listening(before, 1);
    const first = await signUp(t, 'NANNY');
    const second = await signUp(t, 'NANNY');
    await apply(t, first.token, job.id);
    await apply(t, second.token, job.id);
    await t.system.runtime.broker.drain();
    await waitUntil(() => asOwner.items.length >= 2, 'two applications');
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(asOwner.items.map((item) => [item.applicationUpdated.nanny, item.applicationUpdated.status])).toEqual([
      [first.username, 'PENDING'],
      [second.username, 'PENDING'],
    ]);
    expect(asOther.errors.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it('when a job is booked, then the booked nanny hears ACCEPTED, the other DECLINED with the reason, and an uninvolved nanny nothing', async () => {
    const { parent, job, nannies, applications } = await jobWithApplicants(t, 2);
    const uninvolved = await signUp(t, 'NANNY');
    const before = listeners();

    const booked = subscribeOverWebSocket<MyApplicationUpdated>(ws(nannies[0].token), MY_APPLICATION_UPDATED);
    const declined = subscribeOverWebSocket<MyApplicationUpdated>(ws(nannies[1].token), MY_APPLICATION_UPDATED);
    const bystander = subscribeOverWebSocket<MyApplicationUpdated>(ws(uninvolved.token), MY_APPLICATION_UPDATED);
    await listening(before, 3);
    await processBooking(t, parent.token, {
      jobId: job.id,
      applicationId: applications[0].id,
      paymentToken: 'tok_visa',
    });
    await t.system.runtime.broker.drain();
    await waitUntil(() => booked.items.length > 0 && declined.items.length > 0, 'both nannies to hear');
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(booked.items).toEqual([
      { myApplicationUpdated: { id: applications[0].id, jobId: job.id, status: 'ACCEPTED', declineReason: null } },
    ]);
    expect(declined.items).toEqual([
      {
        myApplicationUpdated: {
          id: applications[1].id,
          jobId: job.id,
          status: 'DECLINED',
          declineReason: 'another nanny was booked',
        },
      },
    ]);
    expect(bystander.items).toEqual([]);
  });

  it('when jobs are posted near and far, then a nanny watching near hears only the near one, without its address', async () => {
    const nanny = await signUp(t, 'NANNY');
    const parent = await signUp(t, 'PARENT');
    const before = listeners();
    const near = { latitude: 53.8, longitude: -1.55, radiusKm: 10 };

    const watching = subscribeOverWebSocket<JobPosted>(ws(nanny.token), JOB_POSTED, { near });
    await listening(before, 1);
    const leeds = await postJob(t, parent.token, { city: 'Leeds', latitude: 53.8008, longitude: -1.5491 });
    await postJob(t, parent.token, { city: 'London', latitude: 51.5072, longitude: -0.1276 });
    await t.system.runtime.broker.drain();
    await waitUntil(() => watching.items.length > 0, 'the near job');
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(watching.items).toEqual([
      { jobPosted: { distanceKm: expect.any(Number), job: { id: leeds.id, city: 'Leeds', address: null } } },
    ]);
    expect(watching.items[0].jobPosted.distanceKm).toBeLessThan(1);
  });

  it.each([
    [{ latitude: 53.8, longitude: -1.55, radiusKm: 0 }, 'radiusKm'],
    [{ latitude: 53.8, longitude: -1.55, radiusKm: 501 }, 'radiusKm'],
    [{ latitude: 90.5, longitude: -1.55, radiusKm: 5 }, 'latitude'],
    [{ latitude: 53.8, longitude: 180.5, radiusKm: 5 }, 'longitude'],
  ])('when jobPosted is asked near %p, then BAD_USER_INPUT naming %s', async (near, field) => {
    const nanny = await signUp(t, 'NANNY');

    const refused = subscribeOverWebSocket(ws(nanny.token), JOB_POSTED, { near });
    await waitUntil(() => refused.errors.length > 0, 'the refusal');

    expect(refused.errors.map((error) => [error.extensions?.code, error.extensions?.field])).toEqual([
      ['BAD_USER_INPUT', field],
    ]);
  });

  it('when connection_init carries no token or a bad one, then the connection closes with 4401', async () => {
    const anonymous = subscribeOverWebSocket(ws(), MY_APPLICATION_UPDATED);
    const forged = subscribeOverWebSocket(ws('not.a.token'), MY_APPLICATION_UPDATED);

    await waitUntil(() => anonymous.closed !== undefined && forged.closed !== undefined, 'both to be closed');

    expect(anonymous.closed?.code).toBe(4401);
    expect(forged.closed?.code).toBe(4401);
  });

  it('when the token expires while subscribed, then the connection closes with 4401 "token expired"', async () => {
    const nanny = await signUp(t, 'NANNY');
    const expiring = t.tokenForWithLifetime(nanny.username, 2, 'NANNY');

    const subscription = subscribeOverWebSocket(ws(expiring), MY_APPLICATION_UPDATED);
    await waitUntil(() => subscription.closed !== undefined, 'the connection to close', 15_000);

    expect(subscription.closed).toEqual({ code: 4401, reason: 'token expired' });
  }, 20_000);

  it('when a subscribed user is deactivated, then the connection closes with 4403 and nothing more arrives', async () => {
    const { parent, job, nannies, applications } = await jobWithApplicants(t, 2);
    const admin = t.tokenFor(uniqueName('admin'), 'ADMIN');
    const before = listeners();
    const subscription = subscribeOverWebSocket<MyApplicationUpdated>(ws(nannies[0].token), MY_APPLICATION_UPDATED);
    await listening(before, 1);

    await t.gql(DEACTIVATE, { u: nannies[0].username }, { token: admin });
    await t.system.runtime.broker.drain();
    await waitUntil(() => subscription.closed !== undefined, 'the connection to close');
    // Booking the other applicant declines the deactivated nanny's application: an event they would have heard.
    await processBooking(t, parent.token, {
      jobId: job.id,
      applicationId: applications[1].id,
      paymentToken: 'tok_visa',
    });
    await t.system.runtime.broker.drain();

    expect(subscription.closed?.code).toBe(4403);
    expect(subscription.items).toEqual([]);
  });

  it('when the token expires while subscribed over SSE, then the stream ends with UNAUTHENTICATED', async () => {
    const nanny = await signUp(t, 'NANNY');
    const expiring = t.tokenForWithLifetime(nanny.username, 2, 'NANNY');

    const overSse = subscribeOverSse(t.system.url.replace('localhost', '127.0.0.1'), expiring, MY_APPLICATION_UPDATED);
    stops.push(overSse.stop);
    await waitUntil(() => overSse.completed, 'the stream to end', 15_000);

    expect(overSse.errors.map((error) => [error.extensions?.code, error.message])).toEqual([
      ['UNAUTHENTICATED', 'token expired'],
    ]);
  }, 20_000);

  it('when a booking changes, then an SSE subscriber gets the change once', async () => {
    const { parent, job, applications } = await jobWithApplicants(t, 1);
    const booking = await processBooking(t, parent.token, {
      jobId: job.id,
      applicationId: applications[0].id,
      paymentToken: 'tok_timeout',
    });
    const before = listeners();

    const overSse = subscribeOverSse<BookingUpdated>(
      t.system.url.replace('localhost', '127.0.0.1'),
      parent.token,
      BOOKING_UPDATED,
      {
        id: booking.id,
      },
    );
    stops.push(overSse.stop);
    await listening(before, 1);
    await t.gql(CANCEL, { id: booking.id }, { token: parent.token });
    await t.system.runtime.broker.drain();
    await waitUntil(() => overSse.items.length > 0, 'the SSE event');
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(overSse.items).toEqual([
      { bookingUpdated: { id: booking.id, status: 'CANCELLED', cancellationReason: 'plans changed' } },
    ]);
  });
});

describe('subscription connection limits', () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem({ live: { maxConnectionsPerUser: 1 } });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('when a user opens more WebSockets than LIVE_MAX_CONNECTIONS_PER_USER, then the extra one closes with 4429 and the first stays', async () => {
    const nanny = await signUp(t, 'NANNY');
    const url = t.system.url.replace('localhost', '127.0.0.1');
    const first = webSocketClient(url, nanny.token);
    const second = webSocketClient(url, nanny.token);
    const kept = subscribeOverWebSocket(first, MY_APPLICATION_UPDATED);
    await waitUntil(() => t.system.liveEvents.listenerCount === 1, 'the first subscription to listen');

    const refused = subscribeOverWebSocket(second, MY_APPLICATION_UPDATED);
    await waitUntil(() => refused.closed !== undefined, 'the second connection to close');

    expect(refused.closed?.code).toBe(4429);
    expect(kept.closed).toBeUndefined();
    await Promise.all([first.dispose(), second.dispose()]);
  });

  it('when a user holds a WebSocket, then an SSE subscription of theirs is refused with RATE_LIMITED, and admitted once the WebSocket closes', async () => {
    const nanny = await signUp(t, 'NANNY');
    const url = t.system.url.replace('localhost', '127.0.0.1');
    await waitUntil(() => t.system.liveEvents.listenerCount === 0, 'the earlier subscriptions to end');
    const webSocket = webSocketClient(url, nanny.token);
    subscribeOverWebSocket(webSocket, MY_APPLICATION_UPDATED);
    await waitUntil(() => t.system.liveEvents.listenerCount === 1, 'the WebSocket subscription to listen');

    const refused = subscribeOverSse(url, nanny.token, MY_APPLICATION_UPDATED);
    await waitUntil(() => refused.completed, 'the SSE subscription to be refused');
    await webSocket.dispose();
    await waitUntil(() => t.system.liveEvents.listenerCount === 0, 'the WebSocket subscription to end');
    // The gateway gives the WebSocket's slot back once it has seen the close: tried until it has.
    let admitted = subscribeOverSse(url, nanny.token, MY_APPLICATION_UPDATED);
    await waitUntil(() => admitted.completed || t.system.liveEvents.listenerCount === 1, 'the SSE subscription');
    for (let tries = 0; admitted.completed && tries < 20; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      admitted = subscribeOverSse(url, nanny.token, MY_APPLICATION_UPDATED);
      await waitUntil(() => admitted.completed || t.system.liveEvents.listenerCount === 1, 'the SSE subscription');
    }
    admitted.stop();

    expect(refused.errors.map((error) => error.extensions?.code)).toEqual(['RATE_LIMITED']);
    expect(admitted.errors).toEqual([]);
    expect(admitted.completed).toBe(false);
  });
});
