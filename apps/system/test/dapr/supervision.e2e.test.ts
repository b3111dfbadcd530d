import { chmodSync, rmSync } from 'node:fs';
import { describeWithInfra, makeTempDir } from '@sitter/infra-harness';
import { startDaprSystem, type RunningDaprSystem } from '../../src/dapr/launcher';
import { getBooking, jobWithApplicants, postJob, processBooking, signUp, type BookingView } from '../support/fixtures';
import { daprGatewayClient, settled } from '../support/dapr-gateway';
import type { GatewayClient } from '../support/harness';

// Real processes: skipped with a message only outside CI when the tools are not provisioned (CI=true throws).
const describeReal = describeWithInfra(['redis', 'postgres', 'kafka', 'daprd']);

const APPLICATIONS = `query ($jobId: ID!) { listJobApplications(jobId: $jobId) { id status } }`;
type Applications = { listJobApplications: Array<{ id: string; status: string }> };

/**
 * Restarts late enough (the first after 30 s) that an outage can be seen before it ends: the gateway's sidecar
 * retries an invocation answered 503 (resiliency.yaml), each attempt waiting on the state store client's own retries,
 * so a short outage is hidden from clients.
 */
const restartPolicy = { maxRestarts: 5, initialBackoffMs: 30_000, maxBackoffMs: 30_000, calmAfterMs: 120_000 };

/** A booking of one of two applicants: CONFIRMED, the other applicant DECLINED once the decliner has run. */
const bookOneOfTwo = async (t: GatewayClient) => {
  const { parent, job, applications } = await jobWithApplicants(t, 2);
  const booked = await processBooking(t, parent.token, {
    jobId: job.id,
    applicationId: applications[0].id,
    paymentToken: 'tok_visa',
  });
  return { parent, job, applications, booked };
};

const statusesOf = async (t: GatewayClient, token: string, jobId: string) => {
  const response = await t.gql<Applications>(APPLICATIONS, { jobId }, { token });
  return Object.fromEntries((response.data?.listJobApplications ?? []).map((a) => [a.id, a.status]));
};

describeReal('dev:dapr supervises what it started and keeps Kafka and PostgreSQL data across runs', () => {
  let dataDir: string;
  let system: RunningDaprSystem | undefined;
  const lines: string[] = [];
  const alarms: string[] = [];

  const start = async () => {
    system = await startDaprSystem({
      port: 0,
      dataDir,
      devIssuerPort: 0,
      logLevel: 'warn',
      graphiql: false,
      restartPolicy,
      progress: (line) => lines.push(line),
      alarm: (line) => alarms.push(line),
    });
    return { system, t: await daprGatewayClient(system, dataDir) };
  };

  beforeAll(() => {
    dataDir = makeTempDir('dapr-supervision');
    // Started by root, PostgreSQL runs as the postgres user, which must be able to reach its cluster in here.
    chmodSync(dataDir, 0o755);
  });

  afterAll(async () => {
    await system?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);

  it('when an app, a sidecar and PostgreSQL (the state) are killed, then each is restarted with one line, the state answers SERVICE_UNAVAILABLE meanwhile, and operations work again; when dev:dapr restarts, then a decline produced while the decliner was down is consumed', async () => {
    // Arrange
    const first = await start();
    const t = first.t;
    const processes = first.system.supervised();
    const before = (name: string) => processes.get(name)!.current.pid;
    const killed = { job: before('job'), 'booking daprd': before('booking daprd'), postgres: before('postgres') };

    // Act 1: kill -9 an app and a sidecar; both come back and a booking goes through them
    process.kill(killed.job, 'SIGKILL');
    process.kill(killed['booking daprd'], 'SIGKILL');
    await settled(
      async () => processes.get('job')!.restartCount > 0 && processes.get('booking daprd')!.restartCount > 0,
      Boolean,
      120_000,
    );
    const afterAppAndSidecar = await settled(
      () => bookOneOfTwo(t),
      () => true,
      120_000,
    );
    const confirmed = await settled(
      async () => (await getBooking(t, afterAppAndSidecar.parent.token, afterAppAndSidecar.booked.id)).data?.getBooking,
      (booking) => (booking as BookingView | undefined)?.status === 'CONFIRMED',
    );

    // Act 2: kill -9 PostgreSQL under the running sidecars
    const parent = await signUp(t, 'PARENT');
    process.kill(killed.postgres, 'SIGKILL');
    const readDuringOutage = await t.gql(
      '{ listJobsByStatus(jobStatus: OPEN, limit: 1) { cursor } }',
      {},
      { token: parent.token },
    );
    const afterPostgres = await settled(
      () => postJob(t, parent.token),
      (job) => typeof job?.id === 'string',
      60_000,
    );

    // Act 3: the decliner is down while a booking is made; then dev:dapr is stopped and started again
    await processes.get('decliner')!.stop();
    const whileDown = await bookOneOfTwo(t);
    await settled(
      async () => (await getBooking(t, whileDown.parent.token, whileDown.booked.id)).data?.getBooking,
      (booking) => (booking as BookingView | undefined)?.status === 'CONFIRMED',
    );
    const pendingBeforeRestart = await statusesOf(t, whileDown.parent.token, whileDown.job.id);
    await first.system.stop();
    system = undefined;
    const second = await start();
    const declinedAfterRestart = await settled(
      () => statusesOf(second.t, whileDown.parent.token, whileDown.job.id),
      (byId) => byId[whileDown.applications[1].id] === 'DECLINED',
      90_000,
    );

    // Assert
    console.log(
      `faults on dev:dapr: kill -9 of job (pid ${killed.job}), booking's daprd (pid ${killed['booking daprd']}), ` +
        `postgres (pid ${killed.postgres}); the decliner stopped, then dev:dapr restarted\n  restarts: ${lines
          .filter((line) => line.startsWith('↻'))
          .join(
            '\n    ',
          )}\n  during the PostgreSQL outage: read ${JSON.stringify(readDuringOutage)}\n  after dev:dapr restarted: ${JSON.stringify(declinedAfterRestart)}`,
    );
    expect(lines.filter((line) => line.startsWith('↻ job:'))).toHaveLength(1);
    expect(lines.filter((line) => line.startsWith('↻ booking daprd:'))).toHaveLength(1);
    expect(first.system.stateStore).toBe('postgresql');
    expect(lines.find((line) => line.startsWith('↻ postgres:'))).toMatch(
      /exited with signal SIGKILL; restarted after 30 s/,
    );
    expect(alarms).toEqual([]);
    expect((confirmed as BookingView).status).toBe('CONFIRMED');
    expect(readDuringOutage.errors?.[0]?.extensions).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      retryAfterSeconds: 5,
    });
    expect(afterPostgres.id).toEqual(expect.any(String));
    expect(pendingBeforeRestart[whileDown.applications[1].id]).toBe('PENDING');
    expect(declinedAfterRestart).toEqual({
      [whileDown.applications[0].id]: 'ACCEPTED',
      [whileDown.applications[1].id]: 'DECLINED',
    });
  }, 900_000);
});
