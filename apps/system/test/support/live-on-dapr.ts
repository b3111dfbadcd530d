import type { RunningDaprSystem } from '../../src/dapr/launcher';
import { apply, postJob, signUp } from './fixtures';
import type { GatewayClient } from './harness';
import { subscribeOverWebSocket, waitUntil, webSocketClient, type Received } from './live-clients';

export const APPLICATION_UPDATED = `subscription ($jobId: ID!) { applicationUpdated(jobId: $jobId) { id nanny status } }`;
export type ApplicationUpdated = { applicationUpdated: { id: string; nanny: string; status: string } };

/** Generous: the machine may be busy, and every hop (sidecar, Kafka, consumer) is real. */
export const ARRIVAL_MS = 60_000;

/**
 * The protocol does not say when a subscription is live, and a gateway's consumer starts at Kafka's newest offset
 * once it has joined: apply to the job (through `t`) until every subscription has heard an application.
 */
export const applyUntilEveryoneHears = async (
  t: GatewayClient,
  jobId: string,
  subscriptions: ReadonlyArray<Received<ApplicationUpdated>>,
): Promise<void> => {
  const deadline = Date.now() + ARRIVAL_MS;
  while (subscriptions.some((subscription) => subscription.items.length === 0) && Date.now() < deadline) {
    const nanny = await signUp(t, 'NANNY');
    await apply(t, nanny.token, jobId);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  await waitUntil(
    () => subscriptions.every((subscription) => subscription.items.length > 0),
    'every subscription to hear an application',
    ARRIVAL_MS,
  );
};

/**
 * Subscriptions on the system as `npm run dev:dapr` runs it: the services publish each committed domain event
 * through their sidecars to Kafka, and the gateway reads them with a consumer group of its own. Runs in the suite
 * that already started the system (dapr/dapr-system.e2e.test.ts), so it costs no start of its own. That every
 * gateway replica gets each event once is checked with two real gateways in dapr/scale-out.e2e.test.ts.
 */
export const itServesSubscriptionsThroughKafka = (running: () => { system: RunningDaprSystem; t: GatewayClient }) => {
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  let system: RunningDaprSystem;
  let t: GatewayClient;

  beforeEach(() => {
    ({ system, t } = running());
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it("when nannies apply to a job, then its owner's graphql-ws subscription on the Dapr gateway gets each application once", async () => {
    const parent = await signUp(t, 'PARENT');
    const job = await postJob(t, parent.token);
    const client = webSocketClient(system.url.replace('localhost', '127.0.0.1'), parent.token);
    cleanups.push(() => client.dispose());
    const subscription = subscribeOverWebSocket<ApplicationUpdated>(client, APPLICATION_UPDATED, { jobId: job.id });

    // Apply until the first application is heard, then one more.
    await applyUntilEveryoneHears(t, job.id, [subscription]);
    const heardBefore = subscription.items.length;
    const last = await signUp(t, 'NANNY');
    await apply(t, last.token, job.id);
    await waitUntil(
      () => subscription.items.some((item) => item.applicationUpdated.nanny === last.username),
      'the last application',
      ARRIVAL_MS,
    );
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    const nannies = subscription.items.map((item) => item.applicationUpdated.nanny);
    expect(nannies.filter((nanny) => nanny === last.username)).toEqual([last.username]);
    expect(subscription.items).toHaveLength(heardBefore + 1);
    expect(new Set(nannies).size).toBe(nannies.length);
    expect(subscription.errors).toEqual([]);
  }, 180_000);
};
