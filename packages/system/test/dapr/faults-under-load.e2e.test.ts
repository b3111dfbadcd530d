import { rmSync } from 'node:fs';
import { describeWithInfra, makeTempDir } from '@sitter/infra-harness';
import { startDaprSystem, type RunningDaprSystem } from '../../src/dapr/launcher';
import { apply, getBooking, postJob, processBooking, signUp, type BookingView } from '../support/fixtures';
import { daprGatewayClient, settled } from '../support/dapr-gateway';
import type { GatewayClient } from '../support/harness';

// Real processes: skipped with a message only outside CI when the tools are not provisioned (CI=true throws).
const describeReal = describeWithInfra(['redis', 'kafka', 'daprd']);

/** Short, so that a booking left UNCONFIRMED shows within the test; the scheduler looks often. */
const DEADLINE_SECONDS = 30;
const systemEnv = {
  BOOKING_PAYMENT_DEADLINE_SECONDS: String(DEADLINE_SECONDS),
  BOOKING_SWEEP_INTERVAL_SECONDS: '2',
  BOOKING_STEP_RETRY_SECONDS: '2',
  // A decliner killed -9 stays in its group until its session times out, and its restart is ready (has its
  // partitions) only then: 10 s instead of 30 s keeps the suite short (the config requires invoke + heartbeat to fit).
  KAFKA_SESSION_TIMEOUT_MS: '10000',
  KAFKA_HEARTBEAT_INTERVAL_MS: '1000',
  INVOKE_TIMEOUT_MS: '5000',
};
/** Restarts soon after a crash, as dev:dapr's default does (1 s, doubling). */
const restartPolicy = { maxRestarts: 5, initialBackoffMs: 1_000, maxBackoffMs: 8_000, calmAfterMs: 60_000 };
const WRITERS = 3;
/** Applicants per job: booking one asks the decliner to decline the others. */
const APPLICANTS = 3;

/** The restarted decliner's own count of each outcome (`already_declined`: a redelivery absorbed by the job service). */
const declinerOutcomes = async (system: RunningDaprSystem) => {
  const decliner = system.apps.find((app) => app.appId === 'decliner')!;
  const text = await (await fetch(`http://127.0.0.1:${decliner.appPort}/metrics`)).text();
  const lines = text.split('\n').filter((line) => line.startsWith('decliner_messages_processed_total{'));
  return lines.map((line) => line.replace(/^.*outcome="([^"]+)".*\s(\S+)$/, '$1 $2')).join(', ') || 'none';
};

const report = (injected: string, checked: string) => console.log(`fault: ${injected}\n  checked: ${checked}`);

const APPLICATIONS = `query ($jobId: ID!) { listJobApplications(jobId: $jobId) { id status updatedOn } }`;
type Application = { id: string; status: string; updatedOn: string };

interface User {
  username: string;
  token: string;
  type: 'PARENT' | 'NANNY';
}

interface Booked {
  parentToken: string;
  id: string;
  jobId: string;
  applicationIds: string[];
  bookedApplicationId: string;
  acknowledgedAt: number;
}

interface Load {
  users: User[];
  bookings: Booked[];
  /** Operations that failed (SERVICE_UNAVAILABLE during an outage, a refused connection…): not acknowledged. */
  failures: string[];
  stop(): Promise<void>;
}

/**
 * `WRITERS` loops, each signing up a parent and `APPLICANTS` nannies, posting a job, applying and booking one
 * applicant with tok_visa, until stopped. Only what the gateway acknowledged is recorded; a failed operation
 * ends that round (the next one starts after a short pause).
 */
const bookingLoad = (t: GatewayClient): Load => {
  const users: User[] = [];
  const bookings: Booked[] = [];
  const failures: string[] = [];
  let running = true;
  const signedUp = async (type: 'PARENT' | 'NANNY') => {
    const user = await signUp(t, type);
    users.push({ ...user, type });
    return user;
  };
  const round = async () => {
    const parent = await signedUp('PARENT');
    const job = await postJob(t, parent.token);
    const applicationIds: string[] = [];
    for (let i = 0; i < APPLICANTS; i += 1) {
      const nanny = await signedUp('NANNY');
      applicationIds.push((await apply(t, nanny.token, job.id)).id);
    }
    const booked = await processBooking(t, parent.token, {
      jobId: job.id,
      applicationId: applicationIds[0],
      paymentToken: 'tok_visa',
    });
    bookings.push({
      parentToken: parent.token,
      id: booked.id,
      jobId: job.id,
      applicationIds,
      bookedApplicationId: applicationIds[0],
      acknowledgedAt: Date.now(),
    });
  };
  const loop = async () => {
    while (running) {
      await round().catch(async (error: Error) => {
        failures.push(error.message.slice(0, 200));
        await new Promise((resolve) => setTimeout(resolve, 250));
      });
    }
  };
  const loops = Array.from({ length: WRITERS }, loop);
  return {
    users,
    bookings,
    failures,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
};

const waitFor = async (what: string, check: () => boolean, timeoutMs = 120_000) => {
  const done = await settled(async () => check(), Boolean, timeoutMs);
  if (!done) throw new Error(`gave up waiting for ${what}`);
};

/** Runs `each` over `items`, a few at a time (the checks are many requests; the machine is small). */
const inParallel = async <T, R>(items: readonly T[], each: (item: T) => Promise<R>, width = 4): Promise<R[]> => {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await each(items[i]);
  };
  await Promise.all(Array.from({ length: width }, worker));
  return results;
};

const applicationsOf = async (t: GatewayClient, booked: Booked): Promise<Map<string, Application>> => {
  const response = await t.gql<{ listJobApplications: Application[] }>(
    APPLICATIONS,
    { jobId: booked.jobId },
    { token: booked.parentToken },
  );
  if (!response.data?.listJobApplications) throw new Error(JSON.stringify(response.errors));
  return new Map(response.data.listJobApplications.map((a) => [a.id, a]));
};

interface BookingOutcome {
  booked: Booked;
  status: BookingView['status'] | 'MISSING';
  cancellationReason?: string | null;
  /** CONFIRMED: the booked applicant ACCEPTED, every other DECLINED; CANCELLED: none DECLINED. */
  applicationsAsExpected: boolean;
  applications: Map<string, Application>;
}

/**
 * Waits for every acknowledged booking to leave UNCONFIRMED (the deadline bounds it) and for its applications to
 * follow: a CONFIRMED booking's other applicants DECLINED, a CANCELLED one's not.
 */
const settleBookings = (t: GatewayClient, bookings: readonly Booked[]) =>
  inParallel(bookings, async (booked): Promise<BookingOutcome> => {
    const waitMs = Math.max(10_000, booked.acknowledgedAt + (DEADLINE_SECONDS + 60) * 1_000 - Date.now());
    const view = await settled(
      async () => (await getBooking(t, booked.parentToken, booked.id)).data?.getBooking,
      (booking) => booking?.status === 'CONFIRMED' || booking?.status === 'CANCELLED',
      waitMs,
    );
    const status = view?.status ?? 'MISSING';
    const expected = (applications: Map<string, Application>) =>
      booked.applicationIds.every((id) => {
        const actual = applications.get(id)?.status;
        if (status !== 'CONFIRMED') return actual !== 'DECLINED';
        return actual === (id === booked.bookedApplicationId ? 'ACCEPTED' : 'DECLINED');
      });
    const applications = await settled(() => applicationsOf(t, booked), expected, 90_000);
    return {
      booked,
      status,
      cancellationReason: view?.cancellationReason,
      applicationsAsExpected: applications !== undefined && expected(applications),
      applications: applications ?? new Map(),
    };
  });

/**
 * Read again a while later: a decline applied a second time would change a DECLINED application again
 * (its updatedOn). Returns the applications that changed.
 */
const declinedAgain = async (t: GatewayClient, outcomes: readonly BookingOutcome[]) => {
  const changed = await inParallel(outcomes, async ({ booked, applications }) => {
    const now = await applicationsOf(t, booked);
    return [...applications.values()]
      .filter((a) => a.status === 'DECLINED' && now.get(a.id)?.updatedOn !== a.updatedOn)
      .map((a) => a.id);
  });
  return changed.flat();
};

/**
 * A booking refused because another booking holds its job. Each round books its own job once, so the other booking
 * was made by a retry of the same processBooking call (the gateway's sidecar retries an invocation answered 503),
 * which the client never saw: that one goes ahead, the acknowledged one is CANCELLED.
 */
const refusedForAnotherBooking = (o: BookingOutcome) =>
  o.status === 'CANCELLED' &&
  (o.cancellationReason === 'another booking of this job is in progress' ||
    o.cancellationReason === 'the job is already booked');

/** What a failed check shows: the booking, its end and its applications. */
const describeOutcome = ({ booked, status, cancellationReason, applications }: BookingOutcome) => ({
  booking: booked.id,
  status,
  cancellationReason,
  booked: booked.bookedApplicationId,
  applications: Object.fromEntries([...applications.values()].map((a) => [a.id, a.status])),
});

const cancelled = (outcomes: readonly BookingOutcome[]) => {
  const reasons = outcomes.filter((o) => o.status === 'CANCELLED').map((o) => o.cancellationReason);
  return reasons.length ? ` (cancelled: ${[...new Set(reasons)].join('; ')})` : '';
};

const summary = (outcomes: readonly BookingOutcome[]) => {
  const count = (status: string) => outcomes.filter((o) => o.status === status).length;
  const declines = outcomes.flatMap((o) => [...o.applications.values()]).filter((a) => a.status === 'DECLINED');
  return `${outcomes.length} acknowledged bookings: ${count('CONFIRMED')} CONFIRMED, ${count('CANCELLED')} CANCELLED, ${
    outcomes.length - count('CONFIRMED') - count('CANCELLED')
  } neither; ${declines.length} other applicants DECLINED${cancelled(outcomes)}`;
};

describeReal('faults under load on dev:dapr: nothing acknowledged is lost, everything recovers by itself', () => {
  let dataDir: string;
  let system: RunningDaprSystem;
  let t: GatewayClient;
  const lines: string[] = [];
  const alarms: string[] = [];

  beforeAll(async () => {
    dataDir = makeTempDir('dapr-faults');
    system = await startDaprSystem({
      port: 0,
      dataDir,
      devIssuerPort: 0,
      logLevel: 'warn',
      graphiql: false,
      restartPolicy,
      env: { ...process.env, ...systemEnv },
      progress: (line) => lines.push(line),
      alarm: (line) => alarms.push(line),
    });
    t = await daprGatewayClient(system, dataDir);
  }, 240_000);

  afterAll(async () => {
    await system?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);

  const supervised = (name: string) => system.supervised().get(name)!;

  /** Runs the load until `before` bookings are acknowledged, kills `names` with -9, waits for every restart,
   * keeps the load going until `after` more bookings are acknowledged, then stops it. */
  const killUnderLoad = async (names: string[], before: number, after: number) => {
    const load = bookingLoad(t);
    await waitFor(`${before} acknowledged bookings`, () => load.bookings.length >= before);
    const pids = names.map((name) => supervised(name).current.pid);
    pids.forEach((pid) => process.kill(pid, 'SIGKILL'));
    const killedAt = Date.now();
    // A restarted process is `current` once it is ready again (the restart count rises before the backoff).
    await waitFor(`${names.join(', ')} restarted`, () =>
      names.every((name, i) => supervised(name).current.pid !== pids[i]),
    );
    const restartedAt = Date.now();
    const atRestart = load.bookings.length;
    await waitFor(`${after} acknowledged bookings after the restart`, () => load.bookings.length >= atRestart + after);
    await load.stop();
    return {
      load,
      killed: names.map((name, i) => `${name} (pid ${pids[i]})`).join(', '),
      killedAt,
      restartedAt,
      restartSeconds: ((restartedAt - killedAt) / 1000).toFixed(1),
    };
  };

  it('when the decliner is killed -9 while declines are produced, then it is restarted and every decline is applied exactly once', async () => {
    // Arrange, Act
    const run = await killUnderLoad(['decliner'], 6, 4);
    const outcomes = await settleBookings(t, run.load.bookings);
    const changed = await declinedAgain(t, outcomes);
    const restartedDecliner = await declinerOutcomes(system);

    // Assert
    report(
      `kill -9 of ${run.killed} during bookings from ${WRITERS} writers (${APPLICANTS - 1} declines each); ` +
        `restarted by the supervisor after ${run.restartSeconds} s`,
      `${summary(outcomes)}; ${changed.length} DECLINED applications changed again later; ` +
        `the restarted decliner handled: ${restartedDecliner}; ` +
        `${run.load.failures.length} operations not acknowledged meanwhile`,
    );
    expect(outcomes.filter((o) => o.status !== 'CONFIRMED').map((o) => o.booked.id)).toEqual([]);
    expect(outcomes.filter((o) => !o.applicationsAsExpected).map(describeOutcome)).toEqual([]);
    expect(changed).toEqual([]);
  }, 360_000);

  it('when the Kafka broker is killed -9 while bookings are in flight, then it is restarted, the consumers reconnect by themselves, and every acknowledged booking ends CONFIRMED or CANCELLED with the others DECLINED', async () => {
    // Arrange, Act
    const run = await killUnderLoad(['kafka'], 6, 4);
    const outcomes = await settleBookings(t, run.load.bookings);
    const changed = await declinedAgain(t, outcomes);
    const afterRestart = outcomes.filter((o) => o.booked.acknowledgedAt > run.restartedAt);

    // Assert
    report(
      `kill -9 of ${run.killed} during bookings from ${WRITERS} writers; restarted after ${run.restartSeconds} s`,
      `${summary(outcomes)}; of the ${afterRestart.length} acknowledged after Kafka was back, ` +
        `${afterRestart.filter((o) => o.status === 'CONFIRMED').length} CONFIRMED (payments and declines flow ` +
        `again without a restart); ${changed.length} DECLINED applications changed again later; ` +
        `${run.load.failures.length} operations not acknowledged meanwhile`,
    );
    expect(outcomes.filter((o) => o.status === 'MISSING' || o.status === 'UNCONFIRMED')).toEqual([]);
    // A booking refused for "another booking of this job" would be a retried processBooking booked twice.
    expect(outcomes.filter(refusedForAnotherBooking).map(describeOutcome)).toEqual([]);
    expect(outcomes.filter((o) => !o.applicationsAsExpected).map(describeOutcome)).toEqual([]);
    expect(afterRestart.filter((o) => o.status !== 'CONFIRMED').map(describeOutcome)).toEqual([]);
    expect(changed).toEqual([]);
  }, 420_000);
});
