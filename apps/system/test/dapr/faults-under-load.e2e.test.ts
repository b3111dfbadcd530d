import { execFileSync } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describeWithInfra, locateTool, makeTempDir } from '@sitter/infra-harness';
import { startDaprSystem, type DaprStateStoreType, type RunningDaprSystem } from '../../src/dapr/launcher';
import { CREATE_USER, apply, getBooking, postJob, processBooking, signUp, type BookingView } from '../support/fixtures';
import { daprGatewayClient, settled } from '../support/dapr-gateway';
import { uniqueName, type GatewayClient, type GraphQLResponse } from '../support/harness';

// Real processes: skipped with a message only outside CI when the tools are not provisioned (CI=true throws).
const describeReal = describeWithInfra(['redis', 'postgres', 'kafka', 'daprd']);

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
/** Loops that only sign up, next to the booking writers, where a kill should catch sign-ups in flight. */
const SIGN_UP_WRITERS = 2;
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
  /** Acknowledged sign-ups. */
  users: User[];
  /** Every sign-up sent, acknowledged or not (a failed one may or may not have been applied). */
  attempts: User[];
  /** Sign-ups of the sign-up loops that failed and were sent again at once, as a client would, by username. */
  sentAgain: Map<string, SentAgain>;
  bookings: Booked[];
  /** Operations that failed (SERVICE_UNAVAILABLE during an outage, a refused connection…): not acknowledged. */
  failures: string[];
  stop(): Promise<void>;
}

const RETRY_AFTER_CAP_MS = 2_000;

/** A failed sign-up sent again: OK (it had not been applied) or CONFLICT on its username (it had). */
interface SentAgain {
  code: string;
  message?: string;
  /** When it was served (answered other than SERVICE_UNAVAILABLE). */
  at: number;
  unavailable: number;
}

/**
 * Sends `call` until it answers something other than SERVICE_UNAVAILABLE (or `timeoutMs` pass), waiting after each
 * such answer for its hint (at most 2 s, to see when the key serves again): what a client does with a sign-up that
 * failed. Returns the last answer, when it came, and how many answers were SERVICE_UNAVAILABLE.
 */
const asAClientWould = async (call: () => Promise<GraphQLResponse>, timeoutMs = 120_000) => {
  const deadline = Date.now() + timeoutMs;
  for (let unavailable = 0; ; unavailable++) {
    const answer = await call();
    const error = answer.errors?.[0]?.extensions;
    if (error?.code !== 'SERVICE_UNAVAILABLE' || Date.now() > deadline) return { answer, at: Date.now(), unavailable };
    const hintMs = 1000 * Number(error.retryAfterSeconds ?? 1);
    await new Promise((resolve) => setTimeout(resolve, Math.min(RETRY_AFTER_CAP_MS, hintMs)));
  }
};

const createUser = (t: GatewayClient, user: User, as: { username: string; email: string }) =>
  t.gql(
    CREATE_USER,
    { user: { username: as.username, email: as.email, type: user.type, firstName: 'A', lastName: 'B' } },
    { token: t.tokenFor(as.username, user.type) },
  );

const codeOf = (answer: GraphQLResponse) =>
  String(answer.errors?.[0]?.extensions?.code ?? (answer.data ? 'OK' : JSON.stringify(answer)));

/** Sends a sign-up that failed again, as its client would. */
const sendAgain = async (t: GatewayClient, user: User): Promise<SentAgain> => {
  const email = `${user.username}@example.com`;
  const { answer, at, unavailable } = await asAClientWould(() =>
    createUser(t, user, { username: user.username, email }),
  );
  return { code: codeOf(answer), message: answer.errors?.[0]?.message, at, unavailable };
};

/**
 * `WRITERS` loops, each signing up a parent and `APPLICANTS` nannies, posting a job, applying and booking one
 * applicant with tok_visa, until stopped, and `signUpWriters` loops that only sign up (so that sign-ups are in
 * flight whenever a fault strikes). Only what the gateway acknowledged is recorded; a failed operation ends that
 * round (the next one starts after a short pause).
 */
const bookingLoad = (t: GatewayClient, signUpWriters = 0): Load => {
  const users: User[] = [];
  const attempts: User[] = [];
  const sentAgain = new Map<string, SentAgain>();
  const bookings: Booked[] = [];
  const failures: string[] = [];
  let running = true;
  const newUser = (type: 'PARENT' | 'NANNY'): User => {
    const username = uniqueName(type.toLowerCase());
    return { username, token: t.tokenFor(username, type), type };
  };
  const signedUp = async (type: 'PARENT' | 'NANNY', user = newUser(type)) => {
    attempts.push(user);
    await signUp(t, type, [], user.username);
    users.push(user);
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
  const signUpLoop = async () => {
    for (let i = 0; running; i += 1) {
      const user = newUser(i % 2 === 0 ? 'PARENT' : 'NANNY');
      await signedUp(user.type, user).catch(async (error: Error) => {
        failures.push(error.message.slice(0, 200));
        sentAgain.set(user.username, await sendAgain(t, user));
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const loops = [...Array.from({ length: WRITERS }, loop), ...Array.from({ length: signUpWriters }, signUpLoop)];
  return {
    users,
    attempts,
    sentAgain,
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

interface SignUpCheck {
  username: string;
  acknowledged: boolean;
  /** A sign-up not acknowledged, sent again (by its writer at once, or by the check). */
  sentAgain?: SentAgain;
  found: boolean;
  emailTaken: boolean;
  usernameTaken: boolean;
}

/**
 * Every sign-up sent under load ends whole and once: one that was not acknowledged is first sent again, as its client
 * would; then each must be found by username, and both its username and its email refused to anyone else (a user
 * without its email record, or the reverse, is a half-written sign-up).
 */
const checkSignUps = (t: GatewayClient, load: Load) =>
  inParallel(load.attempts, async (user): Promise<SignUpCheck> => {
    const acknowledged = load.users.includes(user);
    const email = `${user.username}@example.com`;
    let sentAgain: SignUpCheck['sentAgain'];
    if (!acknowledged) {
      sentAgain = load.sentAgain.get(user.username) ?? (await sendAgain(t, user));
    }
    const found = await t.gql<{ getUser: { username: string } | null }>(
      `query ($username: String!) { getUser(username: $username) { username } }`,
      { username: user.username },
      { token: user.token },
    );
    const sameEmail = await createUser(t, user, { username: `${user.username}x`, email });
    const sameName = await createUser(t, user, { username: user.username, email: `${user.username}.2@example.com` });
    return {
      username: user.username,
      acknowledged,
      sentAgain,
      found: found.data?.getUser?.username === user.username,
      emailTaken: codeOf(sameEmail) === 'CONFLICT',
      usernameTaken: codeOf(sameName) === 'CONFLICT',
    };
  });

const wholeAndOnce = (check: SignUpCheck) =>
  check.found &&
  check.emailTaken &&
  check.usernameTaken &&
  (check.sentAgain === undefined ||
    check.sentAgain.code === 'OK' ||
    (check.sentAgain.code === 'CONFLICT' && /username/.test(check.sentAgain.message ?? '')));

const signUpSummary = (checks: readonly SignUpCheck[]) => {
  const sentAgain = checks.flatMap((c) => (c.sentAgain ? [c.sentAgain] : []));
  return (
    `${checks.filter((c) => c.acknowledged && wholeAndOnce(c)).length} of ` +
    `${checks.filter((c) => c.acknowledged).length} acknowledged sign-ups whole (found, username and email taken); ` +
    `${sentAgain.length} not acknowledged sent again: ${sentAgain.filter((a) => a.code === 'OK').length} created, ` +
    `${sentAgain.filter((a) => a.code === 'CONFLICT').length} already applied, ` +
    `${sentAgain.reduce((sum, a) => sum + a.unavailable, 0)} SERVICE_UNAVAILABLE answers before they were served`
  );
};

/** The key locks in Redis (lock.redis: `lock||<app id>||<key>`), each with its time to live in ms (-1: none). */
const lockKeys = (redisAddress: string): Array<{ key: string; ttlMs: number }> => {
  const [host, port] = redisAddress.split(':');
  const cli = path.join(path.dirname(locateTool('redis')), 'redis-cli');
  const script =
    "local out = {} for _, key in ipairs(redis.call('KEYS', 'lock||*')) do " +
    "table.insert(out, key) table.insert(out, redis.call('PTTL', key)) end return out";
  const lines = execFileSync(cli, ['-h', host, '-p', port, '--raw', 'EVAL', script, '0'], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  const locks: Array<{ key: string; ttlMs: number }> = [];
  for (let i = 0; i + 1 < lines.length; i += 2) locks.push({ key: lines[i], ttlMs: Number(lines[i + 1]) });
  return locks;
};

/** LockedStateStore's lease on a key lock (KeyLocks' default). */
const LOCK_LEASE_MS = 15_000;
/**
 * A key the killed app had locked serves again once the lock's lease is over and the app is back, whichever is
 * later; this much more covers the retry pause, the sidecars' own retries and a busy machine.
 */
const SERVED_AGAIN_MARGIN_MS = 20_000;

/**
 * The sign-ups the sign-up writers sent again at once after a failure: when the last was served after the kill, the
 * bound on it (the restart, or on the locked Redis store the lease if later, plus the margin), and those served later
 * than that.
 */
const servedAgain = (run: { load: Load; killedAt: number; restartedAt: number }, stateStore: DaprStateStoreType) => {
  const leaseOver = stateStore === 'redis' ? run.killedAt + LOCK_LEASE_MS : run.killedAt;
  const bound = Math.max(leaseOver, run.restartedAt) + SERVED_AGAIN_MARGIN_MS;
  const again = [...run.load.sentAgain];
  const seconds = (at: number) => ((at - run.killedAt) / 1000).toFixed(1);
  return {
    late: again.filter(([, a]) => a.at > bound).map(([username, a]) => ({ username, ...a })),
    report:
      `the ${again.length} the sign-up writers sent again at once were served at most ` +
      `${seconds(Math.max(run.killedAt, ...again.map(([, a]) => a.at)))} s after the kill (bound ${seconds(bound)} s)`,
  };
};

/**
 * A dev:dapr run (startDaprSystem) on `stateStore` for the faults of one describe: started before its first case,
 * stopped after its last. `killUnderLoad` runs the load until `before` bookings are acknowledged, kills `names` with
 * -9, waits for every restart, keeps the load going until `after` more bookings are acknowledged, then stops it.
 */
const faultRun = (stateStore: DaprStateStoreType) => {
  let dataDir: string;
  let system: RunningDaprSystem;
  let t: GatewayClient;
  const lines: string[] = [];
  const alarms: string[] = [];

  beforeAll(async () => {
    dataDir = makeTempDir('dapr-faults');
    // Started by root, PostgreSQL runs as the postgres user, which must be able to reach its cluster in here.
    chmodSync(dataDir, 0o755);
    system = await startDaprSystem({
      port: 0,
      dataDir,
      devIssuerPort: 0,
      logLevel: 'warn',
      graphiql: false,
      stateStore,
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

  const killUnderLoad = async (names: string[], before: number, after: number, signUpWriters = 0) => {
    const load = bookingLoad(t, signUpWriters);
    await waitFor(`${before} acknowledged bookings`, () => load.bookings.length >= before);
    const pids = names.map((name) => supervised(name).current.pid);
    pids.forEach((pid) => process.kill(pid, 'SIGKILL'));
    const killedAt = Date.now();
    // The key locks in Redis just after the kill: on the locked Redis store those the killed writers held (unless
    // Redis itself was killed); on PostgreSQL, none, as nothing locks.
    const locksAtKill = names.includes('redis') ? [] : lockKeys(system.redis.address);
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
      locksAtKill,
      restartedAt,
      restartSeconds: ((restartedAt - killedAt) / 1000).toFixed(1),
    };
  };

  return {
    get system() {
      return system;
    },
    get t() {
      return t;
    },
    lines,
    alarms,
    killUnderLoad,
  };
};

/** How many locks each app held (`lock||<app id>||<key>`) and when they expire. */
const lockReport = (locks: ReadonlyArray<{ key: string; ttlMs: number }>) => {
  const byApp = new Map<string, number>();
  for (const { key } of locks) byApp.set(key.split('||')[1], (byApp.get(key.split('||')[1]) ?? 0) + 1);
  const ttls = locks.map((l) => l.ttlMs);
  return (
    `${locks.length} key locks in Redis just after the kill (${[...byApp].map(([app, n]) => `${app} ${n}`).join(', ')}` +
    `), expiring in ${locks.length ? `${Math.min(...ttls)}-${Math.max(...ttls)} ms` : '-'}`
  );
};

describeReal(
  'faults under load on dev:dapr (state.postgresql, its default): nothing acknowledged is lost, everything recovers by itself',
  () => {
    const on = faultRun('postgresql');

    it('when more sign-ups are refused in a row than any circuit breaker trip, then another sign-up still succeeds', async () => {
      // Arrange
      const taken = await signUp(on.t, 'PARENT');
      const user: User = { ...taken, type: 'PARENT' };

      // Act: daprd counts each refusal (409) as a failure of the endpoint it was sent to (POST /users)
      const refusals: string[] = [];
      for (let i = 0; i < 110; i += 1) {
        refusals.push(
          codeOf(await createUser(on.t, user, { username: user.username, email: `${user.username}.${i}@example.com` })),
        );
      }
      const other = await on.t.gql(
        CREATE_USER,
        {
          user: {
            username: `${user.username}y`,
            email: `${user.username}y@example.com`,
            type: 'PARENT',
            firstName: 'A',
            lastName: 'B',
          },
        },
        { token: on.t.tokenFor(`${user.username}y`, 'PARENT') },
      );

      // Assert
      report(
        `110 sign-ups of a taken username in a row`,
        `${refusals.filter((code) => code === 'CONFLICT').length} refused with CONFLICT; the next sign-up of ` +
          `another user answered ${codeOf(other)}`,
      );
      expect(refusals.filter((code) => code !== 'CONFLICT')).toEqual([]);
      expect(codeOf(other)).toBe('OK');
    }, 120_000);

    it('when the decliner is killed -9 while declines are produced, then it is restarted and every decline is applied exactly once', async () => {
      // Arrange, Act
      const run = await on.killUnderLoad(['decliner'], 6, 4);
      const outcomes = await settleBookings(on.t, run.load.bookings);
      const changed = await declinedAgain(on.t, outcomes);
      const restartedDecliner = await declinerOutcomes(on.system);

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
      const run = await on.killUnderLoad(['kafka'], 6, 4);
      const outcomes = await settleBookings(on.t, run.load.bookings);
      const changed = await declinedAgain(on.t, outcomes);
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

    it('when an app and a sidecar are killed -9 under load, then both are restarted, every sign-up is whole and once, nothing is locked, and every acknowledged booking is final', async () => {
      // Arrange, Act
      const run = await on.killUnderLoad(['user', 'booking daprd'], 4, 4, SIGN_UP_WRITERS);
      const signUps = await checkSignUps(on.t, run.load);
      const served = servedAgain(run, 'postgresql');
      const outcomes = await settleBookings(on.t, run.load.bookings);
      const changed = await declinedAgain(on.t, outcomes);

      // Assert
      report(
        `kill -9 of ${run.killed} during bookings from ${WRITERS} writers and sign-ups from ${SIGN_UP_WRITERS} more; ` +
          `both restarted after ${run.restartSeconds} s; ${lockReport(run.locksAtKill)}`,
        `${signUpSummary(signUps)}; ${served.report}; ${summary(outcomes)}; ${changed.length} DECLINED applications changed again ` +
          `later; ${run.load.failures.length} operations not acknowledged meanwhile`,
      );
      console.log(`restarts:\n  ${on.lines.filter((line) => line.startsWith('↻')).join('\n  ')}`);
      expect(on.system.stateStore).toBe('postgresql');
      // state.postgresql's own transactions, no key locks: a killed writer leaves no key behind it locked.
      expect(run.locksAtKill).toEqual([]);
      expect(served.late).toEqual([]);
      expect(signUps.filter((c) => !wholeAndOnce(c))).toEqual([]);
      expect(outcomes.filter((o) => o.status === 'MISSING' || o.status === 'UNCONFIRMED')).toEqual([]);
      expect(outcomes.filter(refusedForAnotherBooking).map(describeOutcome)).toEqual([]);
      expect(outcomes.filter((o) => !o.applicationsAsExpected).map(describeOutcome)).toEqual([]);
      expect(changed).toEqual([]);
      expect(on.alarms).toEqual([]);
    }, 420_000);

    it('when PostgreSQL is killed -9 under load, then it is restarted from its cluster, every sign-up is whole and once, and every acknowledged booking is final', async () => {
      // Arrange, Act
      const run = await on.killUnderLoad(['postgres'], 4, 4, SIGN_UP_WRITERS);
      const signUps = await checkSignUps(on.t, run.load);
      const served = servedAgain(run, 'postgresql');
      const outcomes = await settleBookings(on.t, run.load.bookings);
      const changed = await declinedAgain(on.t, outcomes);

      // Assert
      report(
        `kill -9 of ${run.killed} (the state) during bookings from ${WRITERS} writers and sign-ups from ` +
          `${SIGN_UP_WRITERS} more; restarted after ${run.restartSeconds} s`,
        `${signUpSummary(signUps)}; ${served.report}; ${summary(outcomes)}; ${changed.length} DECLINED applications changed again ` +
          `later; ${run.load.failures.length} operations not acknowledged meanwhile`,
      );
      expect(signUps.filter((c) => !wholeAndOnce(c))).toEqual([]);
      expect(outcomes.filter((o) => o.status === 'MISSING' || o.status === 'UNCONFIRMED')).toEqual([]);
      expect(outcomes.filter(refusedForAnotherBooking).map(describeOutcome)).toEqual([]);
      expect(outcomes.filter((o) => !o.applicationsAsExpected).map(describeOutcome)).toEqual([]);
      expect(changed).toEqual([]);
      expect(served.late).toEqual([]);
      expect(on.alarms).toEqual([]);
    }, 420_000);
  },
);

/**
 * `dev:dapr -- --state-store redis`: state.redis, every write locking its keys through lock.redis. The case about
 * the key locks: a writer killed with its locks held, the locks expiring within their lease.
 */
describeReal('faults under load on dev:dapr --state-store redis (key locks in Redis)', () => {
  const on = faultRun('redis');

  it('when an app and a sidecar are killed -9 under load, then both are restarted, every sign-up is whole and once, every key serves again within the lease, and every acknowledged booking is final', async () => {
    // Arrange, Act
    const run = await on.killUnderLoad(['user', 'booking daprd'], 4, 4, SIGN_UP_WRITERS);
    const signUps = await checkSignUps(on.t, run.load);
    const served = servedAgain(run, 'redis');
    const outcomes = await settleBookings(on.t, run.load.bookings);
    const changed = await declinedAgain(on.t, outcomes);
    const locksAfter = lockKeys(on.system.redis.address);

    // Assert
    report(
      `kill -9 of ${run.killed} during bookings from ${WRITERS} writers and sign-ups from ${SIGN_UP_WRITERS} more; ` +
        `both restarted after ${run.restartSeconds} s; ${lockReport(run.locksAtKill)}`,
      `${signUpSummary(signUps)}; ${served.report}; ${summary(outcomes)}; ${changed.length} DECLINED applications changed again ` +
        `later; ${run.load.failures.length} operations not acknowledged meanwhile; ${locksAfter.length} key locks ` +
        'left once settled',
    );
    console.log(`restarts:\n  ${on.lines.filter((line) => line.startsWith('↻')).join('\n  ')}`);
    expect(on.system.stateStore).toBe('redis');
    // A lock the killed app held expires by itself, within the lease: no key stays locked for longer.
    expect(run.locksAtKill.filter((l) => !(l.ttlMs > 0 && l.ttlMs <= LOCK_LEASE_MS))).toEqual([]);
    expect(locksAfter.filter((l) => !(l.ttlMs > 0 && l.ttlMs <= LOCK_LEASE_MS))).toEqual([]);
    expect(served.late).toEqual([]);
    expect(signUps.filter((c) => !wholeAndOnce(c))).toEqual([]);
    expect(outcomes.filter((o) => o.status === 'MISSING' || o.status === 'UNCONFIRMED')).toEqual([]);
    expect(outcomes.filter(refusedForAnotherBooking).map(describeOutcome)).toEqual([]);
    expect(outcomes.filter((o) => !o.applicationsAsExpected).map(describeOutcome)).toEqual([]);
    expect(changed).toEqual([]);
    expect(on.alarms).toEqual([]);
  }, 420_000);
});
