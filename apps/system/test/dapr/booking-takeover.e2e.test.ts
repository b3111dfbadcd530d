import { chmodSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { describeWithInfra, makeTempDir } from '@sitter/infra-harness';
import { startDaprSystem, type RunningApp, type RunningDaprSystem } from '../../src/dapr/launcher';
import { getBooking, jobWithApplicants, processBooking, type BookingView } from '../support/fixtures';
import { daprGatewayClient, settled } from '../support/dapr-gateway';
import type { GatewayClient } from '../support/harness';

// Real processes: skipped with a message only outside CI when the tools are not provisioned (CI=true throws).
const describeReal = describeWithInfra(['redis', 'postgres', 'kafka', 'daprd']);

/** The sandbox answers this long after a payment request: the saga waits between its request and the result. */
const ANSWER_DELAY_MS = 20_000;
/** Far beyond what the takeover needs: the booking must be CONFIRMED, never cancelled by the deadline. */
const DEADLINE_SECONDS = 600;
/** Long enough for Kafka to hand the dead replica's partitions over, on a busy machine. */
const TAKEOVER_WAIT_MS = 240_000;

type LogEntry = Record<string, unknown> & { message?: string };

const logOf = (app: RunningApp): LogEntry[] =>
  existsSync(app.logFile)
    ? readFileSync(app.logFile, 'utf8')
        .split('\n')
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as LogEntry];
          } catch {
            return [];
          }
        })
    : [];

const entriesOf = (system: RunningDaprSystem, appId: string, match: (entry: LogEntry) => boolean) =>
  system.apps.filter((app) => app.appId === appId).flatMap((app) => logOf(app).filter(match));

/**
 * Two instances of every app on real sidecars (`startDaprSystem({ replicas: 2 })`, as `npm run dev:dapr -- --replicas
 * 2`), nothing restarted by the supervisor: the booking instance that asked for the payment is killed (SIGKILL, the
 * app and its daprd) while its saga waits for the answer, and the other instance must finish the booking.
 */
describeReal('booking at two replicas on Dapr sidecars: a replica killed mid-saga', () => {
  let dataDir: string;
  let system: RunningDaprSystem;
  let t: GatewayClient;

  beforeAll(async () => {
    dataDir = makeTempDir('dapr-takeover');
    // Started by root, PostgreSQL (the default state store) runs as the postgres user, which must reach its cluster.
    chmodSync(dataDir, 0o755);
    system = await startDaprSystem({
      port: 0,
      replicas: 2,
      dataDir,
      devIssuerPort: 0,
      logLevel: 'info',
      graphiql: false,
      restartPolicy: { maxRestarts: 0, initialBackoffMs: 1_000, maxBackoffMs: 1_000, calmAfterMs: 60_000 },
      env: {
        ...process.env,
        PAYMENTS_SANDBOX_ANSWER_DELAY_MS: String(ANSWER_DELAY_MS),
        BOOKING_PAYMENT_DEADLINE_SECONDS: String(DEADLINE_SECONDS),
        BOOKING_LEASE_SECONDS: '3',
        BOOKING_SWEEP_INTERVAL_SECONDS: '2',
        BOOKING_STEP_RETRY_SECONDS: '5',
      },
    });
    t = await daprGatewayClient(system, dataDir);
  }, 600_000);

  afterAll(async () => {
    await system?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);

  it('when the booking replica that requested the payment is killed before the answer, then the other confirms the booking: one payment request, the other applicant declined once', async () => {
    // Arrange
    const { parent, job, applications } = await jobWithApplicants(t, 2);
    const booked = await processBooking(t, parent.token, {
      jobId: job.id,
      applicationId: applications[0].id,
      paymentToken: 'tok_visa',
    });
    const requestedPayment = (app: RunningApp) =>
      logOf(app).some((entry) => entry.bookingId === booked.id && entry.step === 'REQUEST_PAYMENT');
    const advancer = await settled(
      async () => system.apps.find((app) => app.appId === 'booking' && requestedPayment(app)),
      (app) => app !== undefined,
    );
    if (!advancer) throw new Error('no booking instance logged the payment request step');

    // Act: SIGKILL the instance and its sidecar while the sandbox holds the answer back.
    const supervised = system.supervised();
    for (const name of [advancer.name, `${advancer.name} daprd`])
      process.kill(supervised.get(name)!.current.pid, 'SIGKILL');
    const final = await settled(
      async () => (await getBooking(t, parent.token, booked.id)).data?.getBooking as BookingView,
      (booking) => booking?.status !== undefined && booking.status !== 'UNCONFIRMED',
      TAKEOVER_WAIT_MS,
    );
    const declines = await settled(
      async () =>
        entriesOf(
          system,
          'decliner',
          (entry) => entry.applicationId === applications[1].id && /declined/.test(entry.message ?? ''),
        ),
      (entries) => entries.length > 0,
    );

    // Assert
    const survivor = system.apps.find((app) => app.appId === 'booking' && app.name !== advancer.name)!;
    expect(final).toMatchObject({ status: 'CONFIRMED' });
    expect(logOf(survivor).filter((entry) => entry.bookingId === booked.id && entry.step === 'CONFIRM')).toHaveLength(
      1,
    );
    const paymentRequests = entriesOf(
      system,
      'payments-sandbox',
      (entry) => entry.message === 'payment request received' && entry.bookingId === booked.id,
    );
    expect(paymentRequests).toEqual([expect.objectContaining({ type: 'AUTHORIZE' })]);
    expect(declines.map((entry) => entry.message)).toEqual(['application declined']);
  }, 900_000);
});
