import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import { Topics } from '@sitter/contracts';
import { describeTopics, describeWithInfra, makeTempDir } from '@sitter/infra-harness';
import { DEV_API_KEY } from '../../src/config';
import { startDaprSystem, type RunningDaprSystem } from '../../src/dapr/launcher';
import { bookingScenarios } from '../support/booking-scenarios';
import { alternating, daprGatewayClients, settled, SETTLE_MS } from '../support/dapr-gateway';
import {
  apply,
  CREATE_USER,
  getBooking,
  jobWithApplicants,
  postJob,
  processBooking,
  signUp,
  type BookingView,
} from '../support/fixtures';
import { errorCodes, uniqueName, type GatewayClient } from '../support/harness';
import { subscribeOverWebSocket, waitUntil, webSocketClient } from '../support/live-clients';
import {
  APPLICATION_UPDATED,
  applyUntilEveryoneHears,
  ARRIVAL_MS,
  type ApplicationUpdated,
} from '../support/live-on-dapr';

// Real processes: skipped with a message only outside CI when the tools are not provisioned (CI=true throws).
const describeReal = describeWithInfra(['redis', 'postgres', 'kafka', 'daprd']);

/** Small, so that a few requests through each gateway exceed it together but not alone. */
const API_KEY_RATE_LIMIT = 10;
const OPEN_JOBS = '{ listJobsByStatus(jobStatus: OPEN, limit: 1) { cursor } }';
const APPLICATIONS = `query ($jobId: ID!) { listJobApplications(jobId: $jobId) { id status } }`;
type Applications = { listJobApplications: Array<{ id: string; status: string }> };

/** The decliner's outcome lines (`application declined`, `already declined`) in one instance's log, by application. */
const declinerOutcomes = (logFile: string): string[] =>
  readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((line) => line.includes('"application declined"') || line.includes('"application already declined'))
    .map((line) => (JSON.parse(line) as { applicationId: string }).applicationId);

/** How many times each id occurs. */
const tally = (ids: readonly string[]): Record<string, number> =>
  ids.reduce<Record<string, number>>((counts, id) => ({ ...counts, [id]: (counts[id] ?? 0) + 1 }), {});

/**
 * Two instances of every app (gateway, user, job, booking, decliner, payments sandbox), each behind its own daprd,
 * started by the same launcher as `npm run dev:dapr -- --replicas 2`, once for the whole file. Requests alternate
 * between the two gateways; the services reach each other through name resolution, which spreads the calls.
 * Processes are not restarted when they die (maxRestarts 0): the last test kills a decliner for good.
 */
describeReal('the system at two replicas on Dapr sidecars and Kafka', () => {
  let dataDir: string;
  let system: RunningDaprSystem;
  let gateways: GatewayClient[];
  let t: GatewayClient;

  beforeAll(async () => {
    dataDir = makeTempDir('dapr-scale-out');
    // Started by root, PostgreSQL (the default state store) runs as the postgres user, which must reach its cluster.
    chmodSync(dataDir, 0o755);
    system = await startDaprSystem({
      port: 0,
      dataDir,
      replicas: 2,
      devIssuerPort: 0,
      // The decliner's outcome lines are info.
      logLevel: 'info',
      graphiql: false,
      env: { ...process.env, API_KEYS: DEV_API_KEY, API_KEY_RATE_LIMIT: String(API_KEY_RATE_LIMIT) },
      restartPolicy: { maxRestarts: 0, initialBackoffMs: 1_000, maxBackoffMs: 1_000, calmAfterMs: 60_000 },
    });
    gateways = await daprGatewayClients(system, dataDir);
    t = alternating(gateways);
  }, 480_000);

  afterAll(async () => {
    await system?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);

  const statuses = async (token: string, jobId: string) => {
    const response = await t.gql<Applications>(APPLICATIONS, { jobId }, { token });
    return Object.fromEntries((response.data?.listJobApplications ?? []).map((a) => [a.id, a.status]));
  };

  it('when the system runs at two replicas, then every app has two instances and two distinct gateways answer', async () => {
    // Act
    const answers = await Promise.all(gateways.map((gateway) => gateway.gql('{ __typename }')));

    // Assert
    const instancesByApp = system.apps.reduce<Record<string, number>>(
      (counts, app) => ({ ...counts, [app.appId]: (counts[app.appId] ?? 0) + 1 }),
      {},
    );
    expect(instancesByApp).toEqual({
      gateway: 2,
      user: 2,
      job: 2,
      booking: 2,
      decliner: 2,
      'payments-sandbox': 2,
    });
    expect(new Set(system.urls).size).toBe(2);
    expect(answers.map((answer) => answer.data)).toEqual([{ __typename: 'Query' }, { __typename: 'Query' }]);
  });

  it('when the README scenario runs with requests alternating between the gateways, then the booking is CONFIRMED and the other applicant DECLINED', async () => {
    await bookingScenarios.confirmsAndDeclinesTheOthers({
      ...t,
      eventually: async (check, what) => {
        if (!(await settled(check, (holds) => holds))) throw new Error(`still not after ${SETTLE_MS} ms: ${what}`);
      },
    });
  }, 180_000);

  it('when 40 sign-ups race through both gateways, four for each of 10 emails, then exactly one wins each email and the rest get CONFLICT', async () => {
    // Arrange
    const emails = Array.from({ length: 10 }, () => `${uniqueName('race')}@example.com`);
    const signUps = emails.flatMap((email) =>
      Array.from({ length: 4 }, () => {
        const username = uniqueName('racer');
        const user = { username, email, type: 'PARENT', firstName: 'Ada', lastName: 'Byron' };
        return { email, user, token: t.tokenFor(username, 'PARENT') };
      }),
    );

    // Act
    const responses = await Promise.all(
      signUps.map(({ user, token }, i) => gateways[i % 2].gql(CREATE_USER, { user }, { token })),
    );

    // Assert
    const winners = signUps.filter((_, i) => !responses[i].errors).map((signUp) => signUp.email);
    expect(winners.sort()).toEqual([...emails].sort());
    expect(responses.flatMap(errorCodes)).toEqual(Array(30).fill('CONFLICT'));
  }, 180_000);

  it('when 10 bookings of one job race through both gateways, then exactly one is CONFIRMED, the others CANCELLED, and one application ACCEPTED', async () => {
    // Arrange
    const { parent, job, applications } = await jobWithApplicants(t, 10);

    // Act
    const booked = await Promise.all(
      applications.map((application, i) =>
        processBooking(gateways[i % 2], parent.token, {
          jobId: job.id,
          applicationId: application.id,
          paymentToken: 'tok_visa',
        }),
      ),
    );
    const outcomes = await Promise.all(
      booked.map((booking) =>
        settled(
          async () => (await getBooking(t, parent.token, booking.id)).data?.getBooking as BookingView,
          (view) => view?.status !== undefined && view.status !== 'UNCONFIRMED',
          120_000,
        ),
      ),
    );
    const applicationStatuses = await settled(
      () => statuses(parent.token, job.id),
      (byId) => !Object.values(byId).includes('PENDING'),
      120_000,
    );

    // Assert
    expect(outcomes.filter((booking) => booking?.status === 'CONFIRMED')).toHaveLength(1);
    expect(outcomes.filter((booking) => booking?.status === 'CANCELLED')).toHaveLength(9);
    expect(Object.values(applicationStatuses).sort()).toEqual(['ACCEPTED', ...Array(9).fill('DECLINED')]);
  }, 300_000);

  it("when a job's owner subscribes on each gateway and a nanny applies through one of them, then each subscriber gets the application exactly once", async () => {
    // Arrange: one graphql-ws subscriber per gateway instance, each fed by its own replica's Kafka consumer
    const parent = await signUp(t, 'PARENT');
    const job = await postJob(t, parent.token);
    const clients = system.urls.map((url) => webSocketClient(url.replace('localhost', '127.0.0.1'), parent.token));
    const subscriptions = clients.map((client) =>
      subscribeOverWebSocket<ApplicationUpdated>(client, APPLICATION_UPDATED, { jobId: job.id }),
    );
    const [first] = gateways;

    try {
      await applyUntilEveryoneHears(first, job.id, subscriptions);

      // Act: one more application, through the first gateway only
      const nanny = await signUp(first, 'NANNY');
      await apply(first, nanny.token, job.id);
      const hearsIt = (items: ApplicationUpdated[]) =>
        items.some((item) => item.applicationUpdated.nanny === nanny.username);
      await waitUntil(
        () => subscriptions.every((subscription) => hearsIt(subscription.items)),
        'both subscribers to hear the application',
        ARRIVAL_MS,
      );
      // A second copy (a replica reading the topic twice, or one relaying to the other) would come within moments.
      await new Promise((resolve) => setTimeout(resolve, 5_000));

      // Assert
      const copies = subscriptions.map(
        (subscription) => subscription.items.filter((item) => item.applicationUpdated.nanny === nanny.username).length,
      );
      expect(system.urls).toHaveLength(2);
      expect(copies).toEqual([1, 1]);
      for (const subscription of subscriptions) {
        const ids = subscription.items.map((item) => item.applicationUpdated.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(subscription.errors).toEqual([]);
      }
    } finally {
      await Promise.all(clients.map((client) => client.dispose()));
    }
  }, 240_000);

  it("when one API key sends requests through both gateways, each under the key's limit but together over it, then the ones over it get RATE_LIMITED", async () => {
    // Arrange: 8 requests to each gateway, 16 in all, against a limit of 10 a minute
    const perGateway = 8;
    const started = Date.now();

    // Act
    const responses = await Promise.all(
      Array.from({ length: perGateway * 2 }, (_, i) => gateways[i % 2].gql(OPEN_JOBS, {}, { apiKey: DEV_API_KEY })),
    );
    const elapsedMs = Date.now() - started;

    // Assert: the bucket earns one request back every 6 s
    const served = responses.filter((response) => !response.errors).length;
    const limited = responses.filter((response) => errorCodes(response).includes('RATE_LIMITED')).length;
    expect(perGateway).toBeLessThan(API_KEY_RATE_LIMIT);
    expect(served).toBeGreaterThanOrEqual(API_KEY_RATE_LIMIT);
    expect(served).toBeLessThanOrEqual(API_KEY_RATE_LIMIT + Math.floor(elapsedMs / 6_000));
    expect(served + limited).toBe(perGateway * 2);
  }, 60_000);

  it('when decline requests are produced for two decliner instances, then each is handled exactly once; after one instance (app and sidecar) is killed -9, the other takes its partitions and handles each later request once', async () => {
    // Arrange: applications of 12 jobs (keys spread over the partitions), declined by requests written to Kafka
    const [decliner, otherDecliner] = system.apps.filter((app) => app.appId === 'decliner');
    const [declines] = await describeTopics(system.kafka.brokers, [Topics.applicationDeclines]);
    const partitions = declines.partitions.length;
    const jobs = await Promise.all(Array.from({ length: 12 }, () => jobWithApplicants(t, 2)));
    const [before, after] = [jobs.slice(0, 6), jobs.slice(6)];
    const kafka = new Kafka({
      clientId: 'scale-out-test',
      brokers: [system.kafka.brokers],
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    const produceDeclines = (batch: typeof jobs) =>
      producer.send({
        topic: Topics.applicationDeclines,
        messages: batch.flatMap(({ job, applications }) =>
          applications.map((application) => ({
            key: job.id,
            value: JSON.stringify({
              version: 1,
              applicationId: application.id,
              jobId: job.id,
              reason: 'background check failed',
              source: 'scale-out-test',
              requestedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
            }),
          })),
        ),
      });
    const idsOf = (batch: typeof jobs) => batch.flatMap(({ applications }) => applications.map((a) => a.id));
    const handledIn = (ids: readonly string[], logFiles: readonly string[]) => () => {
      const counts = tally(logFiles.flatMap(declinerOutcomes));
      return Promise.resolve(Object.fromEntries(ids.map((id) => [id, counts[id] ?? 0])));
    };
    const allHandled = (counts: Record<string, number>) => Object.values(counts).every((count) => count > 0);

    try {
      // Act 1: both instances in the group
      await produceDeclines(before);
      const firstCounts = await settled(
        handledIn(idsOf(before), [decliner.logFile, otherDecliner.logFile]),
        allHandled,
        120_000,
      );
      const byInstance = [decliner, otherDecliner].map(
        (app) => declinerOutcomes(app.logFile).filter((id) => idsOf(before).includes(id)).length,
      );

      // Act 2: kill -9 the second instance and its sidecar (not restarted), then write more requests
      const processes = system.supervised();
      for (const name of [otherDecliner.name, `${otherDecliner.name} daprd`]) {
        process.kill(processes.get(name)!.current.pid, 'SIGKILL');
      }
      const handledByTheDeadOne = declinerOutcomes(otherDecliner.logFile).length;
      await produceDeclines(after);
      const laterCounts = await settled(
        handledIn(idsOf(after), [decliner.logFile, otherDecliner.logFile]),
        allHandled,
        180_000,
      );

      // Assert
      expect(partitions).toBeGreaterThanOrEqual(2);
      expect(firstCounts).toEqual(Object.fromEntries(idsOf(before).map((id) => [id, 1])));
      // Each instance had partitions of its own: both handled some of the first requests.
      expect(byInstance.every((count) => count > 0)).toBe(true);
      expect(laterCounts).toEqual(Object.fromEntries(idsOf(after).map((id) => [id, 1])));
      expect(declinerOutcomes(otherDecliner.logFile)).toHaveLength(handledByTheDeadOne);
      const declined = await Promise.all(after.map(({ parent, job }) => statuses(parent.token, job.id)));
      expect(declined.flatMap((byId) => Object.values(byId))).toEqual(Array(12).fill('DECLINED'));
    } finally {
      await producer.disconnect();
    }
  }, 480_000);
});
