import { chmodSync, rmSync } from 'node:fs';
import { describeWithInfra, makeTempDir } from '@sitter/infra-harness';
import { rootFields } from '@sitter/gateway';
import { DEV_API_KEY } from '../../src/config';
import { startDaprSystem, type RunningDaprSystem } from '../../src/dapr/launcher';
import { itFollowsTheAuthorizationTable } from '../support/authorization-table';
import { itServesSubscriptionsThroughKafka } from '../support/live-on-dapr';
import { CREATE_USER, getBooking, jobWithApplicants, processBooking, type BookingView } from '../support/fixtures';
import { daprGatewayClient, settled, SETTLE_MS } from '../support/dapr-gateway';
import { errorCodes, uniqueName, type GatewayClient } from '../support/harness';

// Real processes: skipped with a message only outside CI when the tools are not provisioned (CI=true throws).
const describeReal = describeWithInfra(['redis', 'postgres', 'kafka', 'daprd']);

const APPLICATIONS = `query ($jobId: ID!) { listJobApplications(jobId: $jobId) { id nanny status } }`;
const GET_JOB = `query ($id: ID!) { getJob(id: $id) { status } }`;
type Applications = { listJobApplications: Array<{ id: string; nanny: string; status: string }> };

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * The system as `npm run dev:dapr` starts it (the same launcher, its default state store): PostgreSQL, Redis, Kafka,
 * every service in its own process behind its own daprd (state in state.postgresql, no key locks), the decliner on Kafka, the gateway behind its sidecar,
 * and a dev issuer whose key signs the tokens. Everything reaches the system only through the gateway.
 */
describeReal('the system on Dapr sidecars and Kafka, through the gateway', () => {
  let dataDir: string;
  let system: RunningDaprSystem;
  let t: GatewayClient;

  beforeAll(async () => {
    dataDir = makeTempDir('dapr-e2e');
    // Started by root, PostgreSQL (the default state store) runs as the postgres user, which must reach its cluster.
    chmodSync(dataDir, 0o755);
    system = await startDaprSystem({ port: 0, dataDir, devIssuerPort: 0, logLevel: 'warn', graphiql: false });
    t = await daprGatewayClient(system, dataDir);
  }, 240_000);

  afterAll(async () => {
    await system?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  const statuses = async (token: string, jobId: string) => {
    const response = await t.gql<Applications>(APPLICATIONS, { jobId }, { token });
    return Object.fromEntries((response.data?.listJobApplications ?? []).map((a) => [a.id, a.status]));
  };
  const finalBooking = (token: string, id: string) =>
    settled(
      async () => (await getBooking(t, token, id)).data?.getBooking as BookingView,
      (booking) => booking?.status !== 'UNCONFIRMED',
    );
  const noPending = (byId: Record<string, string>) => !Object.values(byId).includes('PENDING');

  it('when a parent books one of two applicants with tok_visa, then the booking is CONFIRMED, the job CLOSED and the other applicant DECLINED', async () => {
    // Arrange
    const { parent, job, nannies, applications } = await jobWithApplicants(t, 2, { cost: '150.25' });

    // Act
    const booked = await processBooking(t, parent.token, {
      jobId: job.id,
      applicationId: applications[0].id,
      paymentToken: 'tok_visa',
    });
    const confirmed = await finalBooking(parent.token, booked.id);
    const applicationStatuses = await settled(() => statuses(parent.token, job.id), noPending);

    // Assert
    expect(booked).toMatchObject({ status: 'UNCONFIRMED', customer: parent.username, nanny: nannies[0].username });
    expect(confirmed).toMatchObject({
      status: 'CONFIRMED',
      amount: '150.25',
      maskedPaymentToken: 'tok_…isa',
      bookingReference: expect.stringMatching(/^[A-HJ-NP-Z2-9]{6}$/),
    });
    expect((await t.gql(GET_JOB, { id: job.id }, { token: parent.token })).data).toEqual({
      getJob: { status: 'CLOSED' },
    });
    // The other applicant is declined by the decliner, from the declines topic on Kafka.
    expect(applicationStatuses).toEqual({ [applications[0].id]: 'ACCEPTED', [applications[1].id]: 'DECLINED' });
  });

  it('when the payment is declined, then the booking is CANCELLED and the reservation compensated: job OPEN, application PENDING', async () => {
    // Arrange
    const { parent, job, applications } = await jobWithApplicants(t, 2);

    // Act
    const booked = await processBooking(t, parent.token, {
      jobId: job.id,
      applicationId: applications[0].id,
      paymentToken: 'tok_chargeDeclined',
    });
    const cancelled = await finalBooking(parent.token, booked.id);
    const jobAfter = await settled(
      async () => (await t.gql<{ getJob: { status: string } }>(GET_JOB, { id: job.id }, { token: parent.token })).data,
      (data) => data?.getJob.status === 'OPEN',
    );
    const applicationStatuses = await settled(
      () => statuses(parent.token, job.id),
      (byId) => byId[applications[0].id] === 'PENDING',
    );

    // Assert
    expect(cancelled).toMatchObject({ status: 'CANCELLED', cancellationReason: expect.stringMatching(/declined/i) });
    expect(jobAfter).toEqual({ getJob: { status: 'OPEN' } });
    expect(applicationStatuses).toEqual({ [applications[0].id]: 'PENDING', [applications[1].id]: 'PENDING' });
  });

  it('when 20 callers race to create one username, then exactly one wins and the rest get CONFLICT', async () => {
    // Arrange
    const username = uniqueName('race');
    const token = t.tokenFor(username, 'PARENT');
    const profile = (i: number) => ({
      username,
      email: `${username}-${i}@example.com`,
      type: 'PARENT',
      firstName: 'Ada',
      lastName: 'Byron',
    });

    // Act
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => t.gql(CREATE_USER, { user: profile(i) }, { token })),
    );

    // Assert
    expect(responses.filter((response) => !response.errors)).toHaveLength(1);
    expect(responses.flatMap(errorCodes)).toEqual(Array(19).fill('CONFLICT'));
  });

  it('when 5 bookings race on one job, then exactly one is CONFIRMED, the others CANCELLED, and one application ACCEPTED', async () => {
    // Arrange
    const { parent, job, applications } = await jobWithApplicants(t, 5);

    // Act
    const booked = await Promise.all(
      applications.map((application) =>
        processBooking(t, parent.token, { jobId: job.id, applicationId: application.id, paymentToken: 'tok_visa' }),
      ),
    );
    const outcomes = await Promise.all(booked.map((booking) => finalBooking(parent.token, booking.id)));
    const applicationStatuses = await settled(() => statuses(parent.token, job.id), noPending);

    // Assert
    expect(outcomes.filter((booking) => booking.status === 'CONFIRMED')).toHaveLength(1);
    const cancelled = outcomes.filter((booking) => booking.status === 'CANCELLED');
    expect(cancelled).toHaveLength(4);
    expect(cancelled.every((booking) => (booking.cancellationReason ?? '').length > 0)).toBe(true);
    expect(Object.values(applicationStatuses).sort()).toEqual(['ACCEPTED', ...Array(4).fill('DECLINED')]);
  });

  describe('the authorization table (support/authorization-table.ts), as on the embedded runtime', () => {
    itFollowsTheAuthorizationTable(
      () => ({
        ...t,
        apiKey: DEV_API_KEY,
        eventually: async (check, what) => {
          if (!(await settled(check, (holds) => holds))) throw new Error(`still not after ${SETTLE_MS} ms: ${what}`);
        },
      }),
      () => [...rootFields().query, ...rootFields().mutation],
    );
  });

  describe('subscriptions, the events delivered through Kafka', () => {
    itServesSubscriptionsThroughKafka(() => ({ system, t }));
  });

  // Last: it stops the system that the tests above share (afterAll's stop is then a no-op).
  it('when the system is stopped, then no process it started is left', async () => {
    // Arrange
    const pids = [system.kafka.pid, ...system.apps.flatMap((app) => [app.pid, app.sidecar.pid])];
    expect(pids.every(isAlive)).toBe(true);

    // Act
    await system.stop();

    // Assert
    expect(pids.filter(isAlive)).toEqual([]);
  }, 60_000);
});
