import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describeWithInfra, locateTool, makeTempDir } from '@sitter/infra-harness';
import { startDaprSystem, type RunningDaprSystem } from '../../src/dapr/launcher';
import {
  CREATE_USER,
  getBooking,
  jobWithApplicants,
  postJob,
  processBooking,
  signUp,
  type BookingView,
} from '../support/fixtures';
import { daprGatewayClient, settled } from '../support/dapr-gateway';
import { errorCodes, uniqueName, type GatewayClient } from '../support/harness';

// Real processes: skipped with a message only outside CI when the tools are not provisioned (CI=true throws).
const describeReal = describeWithInfra(['redis', 'kafka', 'daprd']);

/** The number of keys in Redis (state.redis keeps each state key as one), read with redis-cli. */
const redisKeys = async (address: string): Promise<number> => {
  const [host, port] = address.split(':');
  const cli = path.join(path.dirname(locateTool('redis')), 'redis-cli');
  const { stdout } = await promisify(execFile)(cli, ['-h', host, '-p', port, 'DBSIZE']);
  return Number(stdout.trim());
};

/**
 * `npm run dev:dapr -- --state-store redis`: the same launcher with the services' state in state.redis, every write
 * locking its keys through lock.redis (dapr-components/state-redis/), Redis's append-only file kept in DATA_DIR
 * across restarts. What PostgreSQL's transactions do on the default store, the key locks do here: the races below
 * come out as on PostgreSQL (dapr-system.e2e.test.ts).
 */
describeReal('the system on Dapr with its state in Redis, behind key locks', () => {
  let dataDir: string;
  let system: RunningDaprSystem | undefined;
  let t: GatewayClient;

  const start = async () => {
    system = await startDaprSystem({
      port: 0,
      dataDir,
      devIssuerPort: 0,
      logLevel: 'warn',
      graphiql: false,
      stateStore: 'redis',
    });
    t = await daprGatewayClient(system, dataDir);
  };

  beforeAll(async () => {
    dataDir = makeTempDir('dapr-redis-e2e');
    await start();
  }, 240_000);

  afterAll(async () => {
    await system?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  const finalBooking = (token: string, id: string) =>
    settled(
      async () => (await getBooking(t, token, id)).data?.getBooking as BookingView,
      (booking) => booking?.status !== 'UNCONFIRMED',
    );

  it('when 20 callers race to create one username, then exactly one wins and the rest get CONFLICT', async () => {
    // Arrange
    const username = uniqueName('redis-race');
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
    expect(system!.stateStore).toBe('redis');
    expect(system!.postgres).toBeUndefined();
    expect(responses.filter((response) => !response.errors)).toHaveLength(1);
    expect(responses.flatMap(errorCodes)).toEqual(Array(19).fill('CONFLICT'));
  });

  it('when Redis is killed -9 under the running sidecars, then dev:dapr restarts it on its port from its append-only file, what was written before is there and writes work again', async () => {
    // Arrange
    const processes = system!.supervised();
    const redis = processes.get('redis')!;
    const killedPid = redis.current.pid;
    const parent = await signUp(t, 'PARENT');
    const before = await postJob(t, parent.token);

    // Act
    process.kill(killedPid, 'SIGKILL');
    await settled(async () => redis.restartCount > 0, Boolean, 120_000);
    const after = await settled(
      () => postJob(t, parent.token),
      (job) => typeof job?.id === 'string',
      120_000,
    );
    const jobBefore = await t.gql<{ getJob: { id: string } }>(
      'query ($id: ID!) { getJob(id: $id) { id } }',
      { id: before.id },
      { token: parent.token },
    );

    // Assert
    expect(redis.current.pid).not.toBe(killedPid);
    expect(after?.id).toEqual(expect.any(String));
    expect(jobBefore.data).toEqual({ getJob: { id: before.id } });
  }, 300_000);

  it('when a booking is CONFIRMED and the system is stopped and started again, then the booking is still CONFIRMED, read from Redis', async () => {
    // Arrange
    const { parent, applications, job } = await jobWithApplicants(t, 2, { cost: '80.00' });
    const booked = await processBooking(t, parent.token, {
      jobId: job.id,
      applicationId: applications[0].id,
      paymentToken: 'tok_visa',
    });
    const confirmed = await finalBooking(parent.token, booked.id);
    const keysBefore = await redisKeys(system!.redis.address);

    // Act
    await system!.stop();
    system = undefined;
    await start();
    const afterRestart = (await getBooking(t, parent.token, booked.id)).data?.getBooking as BookingView;

    // Assert
    expect(confirmed).toMatchObject({ status: 'CONFIRMED', amount: '80.00' });
    expect(keysBefore).toBeGreaterThan(0);
    expect(afterRestart).toMatchObject({ id: booked.id, status: 'CONFIRMED', amount: '80.00' });
  }, 300_000);
});
