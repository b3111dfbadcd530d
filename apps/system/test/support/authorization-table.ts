import type { BookingDriver } from './booking-scenarios';
import {
  APPLY,
  BOOK,
  BOOKINGS_BY_STATUS,
  CANCEL_BOOKING,
  CREATE_JOB,
  CREATE_USER,
  PROCESS_BOOKING,
  jobInput,
} from './fixtures';
import { apply, getBooking, postJob, processBooking, signUp } from './fixtures';
import { uniqueName, type GraphQLResponse } from './harness';

/**
 * Who may call what: ONE table, every root field of the schema × every kind of caller → the
 * expected outcome. It reaches the system only through the gateway (GraphQL, tokens, an API key),
 * so the same rows run on any runtime: authorization.e2e.test.ts runs them on the embedded one.
 */

/** A system to run the table against: GraphQL, tokens it trusts, an API key it accepts, a way to wait. */
export interface SecurityDriver extends BookingDriver {
  apiKey: string;
}

export const CALLERS = [
  'anonymous',
  'apiKey',
  'parentOwner',
  'parentOther',
  'nannyApplicant',
  'nannyOther',
  'admin',
  'noProfile',
  'deactivated',
] as const;
export type Caller = (typeof CALLERS)[number];

/** What the callers are, in the order of CALLERS (anonymous and apiKey carry no token). */
const WHO: Record<Caller, string> = {
  anonymous: 'no credentials at all',
  apiKey: 'only the x-api-key',
  parentOwner: 'the PARENT who owns the jobs and the booking',
  parentOther: 'another PARENT with a profile',
  nannyApplicant: 'the NANNY who applied to every job and is booked on one',
  nannyOther: 'a NANNY with a profile who applied to nothing',
  admin: 'an ADMIN token (no profile)',
  noProfile: 'a PARENT+NANNY token that never signed up',
  deactivated: 'a PARENT+NANNY user with a PARENT profile, deactivated by an ADMIN after posting a job',
};
export const describeCaller = (caller: Caller): string => `${caller} (${WHO[caller]})`;

/**
 * ALLOWED: an answer without errors. FULL / PUBLIC: allowed, and which view of a profile or a job
 * the caller got (private fields present, or null). Otherwise the one error code expected.
 */
export type Outcome =
  'ALLOWED' | 'FULL' | 'PUBLIC' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'BAD_USER_INPUT';

type Person = { username: string; token: string };

/** What the rows act on; built through the gateway alone. */
export interface World {
  people: Record<Exclude<Caller, 'anonymous' | 'apiKey'>, Person>;
  /** parentOwner's OPEN job; nannyApplicant's application to it is PENDING. */
  openJob: string;
  openApplication: string;
  /** parentOwner's job booked (CONFIRMED) with nannyApplicant. */
  bookedJob: string;
  booking: string;
  /** The deactivated user's own job, with nannyApplicant's PENDING application. */
  deactivatedJob: string;
  deactivatedApplication: string;
}

const UPDATE_STATUS = `mutation ($username: String!, $status: UserStatus!) {
  updateUserStatus(username: $username, status: $status) { username status }
}`;

export const buildWorld = async (driver: SecurityDriver): Promise<World> => {
  const parentOwner = await signUp(driver, 'PARENT');
  const parentOther = await signUp(driver, 'PARENT');
  const nannyApplicant = await signUp(driver, 'NANNY');
  const nannyOther = await signUp(driver, 'NANNY');
  const deactivated = await signUp(driver, 'PARENT', ['NANNY']);
  const adminName = uniqueName('admin');
  const admin = { username: adminName, token: driver.tokenFor(adminName, 'ADMIN') };
  const ghostName = uniqueName('ghost');
  const noProfile = { username: ghostName, token: driver.tokenFor(ghostName, 'PARENT', 'NANNY') };

  const openJob = (await postJob(driver, parentOwner.token)).id;
  const openApplication = (await apply(driver, nannyApplicant.token, openJob)).id;
  const bookedJob = (await postJob(driver, parentOwner.token)).id;
  const bookedApplication = (await apply(driver, nannyApplicant.token, bookedJob)).id;
  const deactivatedJob = (await postJob(driver, deactivated.token)).id;
  const deactivatedApplication = (await apply(driver, nannyApplicant.token, deactivatedJob)).id;
  const booking = (
    await processBooking(driver, parentOwner.token, {
      jobId: bookedJob,
      applicationId: bookedApplication,
      paymentToken: 'tok_visa',
    })
  ).id;
  await driver.eventually(
    async () => (await getBooking(driver, parentOwner.token, booking)).data?.getBooking?.status === 'CONFIRMED',
    'the world booking to be CONFIRMED',
  );
  const deactivation = await driver.gql(
    UPDATE_STATUS,
    { username: deactivated.username, status: 'DEACTIVATED' },
    { token: admin.token },
  );
  if (deactivation.errors) throw new Error(`deactivation failed: ${JSON.stringify(deactivation.errors)}`);

  return {
    people: { parentOwner, parentOther, nannyApplicant, nannyOther, admin, noProfile, deactivated },
    openJob,
    openApplication,
    bookedJob,
    booking,
    deactivatedJob,
    deactivatedApplication,
  };
};

/** How the caller authenticates: nothing, the API key, or its bearer token. */
export const credentialsOf = (driver: SecurityDriver, world: World, caller: Caller) => {
  if (caller === 'anonymous') return {};
  if (caller === 'apiKey') return { apiKey: driver.apiKey };
  return { token: world.people[caller].token };
};

/** The caller's username; the ones without a token get a fresh one (they can name no one in particular). */
const usernameOf = (world: World, caller: Caller): string =>
  caller === 'anonymous' || caller === 'apiKey' ? uniqueName(caller.toLowerCase()) : world.people[caller].username;

type Data = Record<string, unknown>;
type Item = Record<string, unknown>;

export interface AuthorizationRow {
  /** The schema's root field this row calls. */
  field: string;
  /** What is asked, for the test name. */
  name: string;
  query: string;
  variables: (world: World, caller: Caller) => Record<string, unknown>;
  /** The row changes what other rows read (books, cancels, signs up): every caller gets a world of its own. */
  freshWorld?: boolean;
  /** For FULL / PUBLIC outcomes: which view the answer is. */
  view?: (answer: Data) => 'FULL' | 'PUBLIC';
  /** For allowed answers: an invariant of what the caller may see; throws when it does not hold. */
  verify?: (answer: Data, world: World, caller: Caller) => void;
  expected: Record<Caller, Outcome>;
}

/** Expected outcomes in the order of CALLERS, so each row reads as one line of the table. */
const outcomes = (...values: Outcome[]): Record<Caller, Outcome> => {
  if (values.length !== CALLERS.length) throw new Error(`a row needs ${CALLERS.length} outcomes`);
  return Object.fromEntries(CALLERS.map((caller, index) => [caller, values[index]])) as Record<Caller, Outcome>;
};

const U = 'UNAUTHENTICATED';
const F = 'FORBIDDEN';

/** Private parts of a job appear only to its owner and ADMIN in lists. */
const listedAddressesFollowOwnership = (items: Item[], world: World, caller: Caller) => {
  const me = caller === 'anonymous' || caller === 'apiKey' ? undefined : world.people[caller].username;
  for (const item of items) {
    const mayKnow = caller === 'admin' || item.owner === me;
    if ((item.address !== null) !== mayKnow) {
      throw new Error(`job ${String(item.id)} listed to ${caller} with address ${JSON.stringify(item.address)}`);
    }
  }
};

/** A row's check that the jobs `field` lists show addresses only as ownership allows. */
const jobListFollowsOwnership =
  (field: string) =>
  (answer: Data, world: World, caller: Caller): void =>
    listedAddressesFollowOwnership((answer[field] as { items: Item[] }).items, world, caller);

const GET_USER = `query ($username: String!) {
  getUser(username: $username) { username type firstName city email lastName dateOfBirth address latitude longitude status }
}`;
const GET_JOB = `query ($id: ID!) { getJob(id: $id) { id owner city address latitude longitude status } }`;
const LIST_JOBS = `query ($status: JobStatus!) {
  listJobsByStatus(jobStatus: $status, limit: 100) { items { id owner address } cursor }
}`;
const LIST_JOBS_FILTERED = `query ($filter: JobFilter) {
  listJobs(filter: $filter, limit: 100) { items { id owner address } cursor }
}`;
const LIST_APPLICATIONS_FILTERED = `query ($jobId: ID!) {
  listApplications(jobId: $jobId, filter: { status: { eq: PENDING } }) { items { id nanny status } cursor }
}`;
const LIST_JOBS_NEAR = `query {
  listJobsNear(latitude: 53.8, longitude: -1.55, radiusKm: 50, limit: 100) { items { distanceKm job { id owner address } } cursor }
}`;
const LIST_BOOKINGS = `query ($customer: String!) {
  listBookings(customer: $customer, filter: { status: { in: [CONFIRMED, CANCELLED] } }) { items { id status } cursor }
}`;
const LIST_APPLICATIONS = `query ($jobId: ID!) { listJobApplications(jobId: $jobId) { id nanny status } }`;
const APPLIED_TO = `query ($username: String!) { listJobsAppliedTo(username: $username) { id status job { id address } } }`;
const GET_BOOKING = `query ($id: ID!) { getBooking(id: $id) { id status customer nanny } }`;
const UPDATE_USER = `mutation ($user: UpdateUserInput!) { updateUser(user: $user) { username about } }`;

const EVENTS_BY_ENTITY = `query ($entity: EventEntity!, $id: ID!) {
  eventsByEntity(entity: $entity, entityId: $id) { items { type entityId actor } cursor }
}`;
const EVENTS_BY_TYPE = `query ($type: EventType!) { eventsByType(type: $type, limit: 5) { items { type entityId } cursor } }`;

/** The pending application a caller books: the deactivated user one on their own job, everyone else the open one. */
const bookingInputFor = (world: World, caller: Caller) =>
  caller === 'deactivated'
    ? { jobId: world.deactivatedJob, applicationId: world.deactivatedApplication, paymentToken: 'tok_visa' }
    : { jobId: world.openJob, applicationId: world.openApplication, paymentToken: 'tok_visa' };

const jobView = (answer: Data) => ((answer.getJob as Item).address === null ? 'PUBLIC' : 'FULL');

//                                anonymous apiKey parentOwner parentOther nannyApplicant nannyOther admin noProfile deactivated
export const AUTHORIZATION_TABLE: AuthorizationRow[] = [
  {
    field: 'getUser',
    name: "getUser of the owning parent's profile",
    query: GET_USER,
    variables: (world) => ({ username: world.people.parentOwner.username }),
    view: (answer) => ((answer.getUser as Item).email === null ? 'PUBLIC' : 'FULL'),
    expected: outcomes(U, U, 'FULL', 'PUBLIC', 'PUBLIC', 'PUBLIC', 'FULL', 'PUBLIC', 'PUBLIC'),
  },
  {
    field: 'getJob',
    name: 'getJob of an open job',
    query: GET_JOB,
    variables: (world) => ({ id: world.openJob }),
    view: jobView,
    expected: outcomes(U, U, 'FULL', 'PUBLIC', 'PUBLIC', 'PUBLIC', 'FULL', 'PUBLIC', 'PUBLIC'),
  },
  {
    field: 'getJob',
    name: 'getJob of a booked job',
    query: GET_JOB,
    variables: (world) => ({ id: world.bookedJob }),
    view: jobView,
    expected: outcomes(U, U, 'FULL', 'PUBLIC', 'FULL', 'PUBLIC', 'FULL', 'PUBLIC', 'PUBLIC'),
  },
  {
    field: 'listJobsByStatus',
    name: 'listJobsByStatus of OPEN jobs',
    query: LIST_JOBS,
    variables: () => ({ status: 'OPEN' }),
    verify: jobListFollowsOwnership('listJobsByStatus'),
    expected: outcomes(U, 'ALLOWED', 'ALLOWED', 'ALLOWED', 'ALLOWED', 'ALLOWED', 'ALLOWED', 'ALLOWED', 'ALLOWED'),
  },
  {
    field: 'listJobsByStatus',
    name: 'listJobsByStatus of CLOSED (booked) jobs',
    query: LIST_JOBS,
    variables: () => ({ status: 'CLOSED' }),
    verify: jobListFollowsOwnership('listJobsByStatus'),
    expected: outcomes(U, U, 'ALLOWED', 'ALLOWED', 'ALLOWED', 'ALLOWED', 'ALLOWED', 'ALLOWED', 'ALLOWED'),
  },
  {
    field: 'listJobs',
    name: 'listJobs filtered to OPEN jobs',
    query: LIST_JOBS_FILTERED,
    variables: () => ({ filter: { status: { eq: 'OPEN' } } }),
    verify: jobListFollowsOwnership('listJobs'),
    expected: outcomes(U, 'ALLOWED', 'ALLOWED', 'ALLOWED', 'ALLOWED', 'ALLOWED', 'ALLOWED', 'ALLOWED', 'ALLOWED'),
  },
  {
    field: 'listJobs',
    name: 'listJobs filtered to OPEN and CLOSED jobs',
    query: LIST_JOBS_FILTERED,
    variables: () => ({ filter: { status: { in: ['OPEN', 'CLOSED'] } } }),
    verify: jobListFollowsOwnership('listJobs'),
    expected: outcomes(U, U, 'ALLOWED', 'ALLOWED', 'ALLOWED', 'ALLOWED', 'ALLOWED', 'ALLOWED', 'ALLOWED'),
  },
  {
    field: 'listJobsNear',
    name: 'listJobsNear of the open jobs around Leeds',
    query: LIST_JOBS_NEAR,
    variables: () => ({}),
    verify: (answer, world, caller) =>
      listedAddressesFollowOwnership(
        (answer.listJobsNear as { items: Array<{ job: Item }> }).items.map((item) => item.job),
        world,
        caller,
      ),
    expected: outcomes(U, 'ALLOWED', 'ALLOWED', 'ALLOWED', 'ALLOWED', 'ALLOWED', 'ALLOWED', 'ALLOWED', 'ALLOWED'),
  },
  {
    field: 'listJobApplications',
    name: 'listJobApplications of an open job',
    query: LIST_APPLICATIONS,
    variables: (world) => ({ jobId: world.openJob }),
    expected: outcomes(U, U, 'ALLOWED', F, F, F, 'ALLOWED', F, F),
  },
  {
    field: 'listApplications',
    name: 'listApplications of an open job, filtered to PENDING',
    query: LIST_APPLICATIONS_FILTERED,
    variables: (world) => ({ jobId: world.openJob }),
    expected: outcomes(U, U, 'ALLOWED', F, F, F, 'ALLOWED', F, F),
  },
  {
    field: 'listJobsAppliedTo',
    name: "listJobsAppliedTo of the applicant nanny's applications",
    query: APPLIED_TO,
    variables: (world) => ({ username: world.people.nannyApplicant.username }),
    verify: (answer, _world, caller) => {
      for (const application of answer.listJobsAppliedTo as Array<{ status: string; job: Item }>) {
        const mayKnow = caller === 'admin' || application.status === 'ACCEPTED';
        if ((application.job.address !== null) !== mayKnow) {
          throw new Error(
            `a ${application.status} application showed its job's address as ${String(application.job.address)}`,
          );
        }
      }
    },
    expected: outcomes(U, U, F, F, 'ALLOWED', F, 'ALLOWED', F, F),
  },
  {
    field: 'getBooking',
    name: 'getBooking of the confirmed booking',
    query: GET_BOOKING,
    variables: (world) => ({ id: world.booking }),
    expected: outcomes(U, U, 'ALLOWED', F, 'ALLOWED', F, 'ALLOWED', F, F),
  },
  {
    field: 'getBookingByStatus',
    name: "getBookingByStatus of the owning parent's confirmed bookings",
    query: BOOKINGS_BY_STATUS,
    variables: (world) => ({ customer: world.people.parentOwner.username, status: 'CONFIRMED' }),
    expected: outcomes(U, U, 'ALLOWED', F, F, F, 'ALLOWED', F, F),
  },
  {
    field: 'listBookings',
    name: "listBookings of the owning parent's confirmed and cancelled bookings",
    query: LIST_BOOKINGS,
    variables: (world) => ({ customer: world.people.parentOwner.username }),
    expected: outcomes(U, U, 'ALLOWED', F, F, F, 'ALLOWED', F, F),
  },
  {
    field: 'eventsByEntity',
    name: 'eventsByEntity of the confirmed booking',
    query: EVENTS_BY_ENTITY,
    variables: (world) => ({ entity: 'BOOKING', id: world.booking }),
    expected: outcomes(U, U, 'ALLOWED', F, 'ALLOWED', F, 'ALLOWED', F, F),
  },
  {
    field: 'eventsByEntity',
    name: "eventsByEntity of the owning parent's profile",
    query: EVENTS_BY_ENTITY,
    variables: (world) => ({ entity: 'USER', id: world.people.parentOwner.username }),
    expected: outcomes(U, U, 'ALLOWED', F, F, F, 'ALLOWED', F, F),
  },
  {
    field: 'eventsByType',
    name: 'eventsByType of BOOKING_CONFIRMED',
    query: EVENTS_BY_TYPE,
    variables: () => ({ type: 'BOOKING_CONFIRMED' }),
    expected: outcomes(U, U, F, F, F, F, 'ALLOWED', F, F),
  },
  {
    field: 'createUser',
    name: 'createUser of a PARENT profile for oneself',
    query: CREATE_USER,
    freshWorld: true,
    variables: (world, caller) => {
      const username = usernameOf(world, caller);
      const email = `${uniqueName('signup')}@example.com`;
      return { user: { username, email, type: 'PARENT', firstName: 'Sam', lastName: 'Lee' } };
    },
    expected: outcomes(U, U, 'CONFLICT', 'CONFLICT', F, F, F, 'ALLOWED', 'CONFLICT'),
  },
  {
    field: 'updateUser',
    name: "updateUser of the owning parent's profile",
    query: UPDATE_USER,
    variables: (world) => ({ user: { username: world.people.parentOwner.username, about: 'Updated' } }),
    expected: outcomes(U, U, 'ALLOWED', F, F, F, 'ALLOWED', F, F),
  },
  {
    field: 'updateUserStatus',
    name: "updateUserStatus of another parent's account to VERIFIED",
    query: UPDATE_STATUS,
    variables: (world) => ({ username: world.people.parentOther.username, status: 'VERIFIED' }),
    expected: outcomes(U, U, F, F, F, F, 'ALLOWED', F, F),
  },
  {
    field: 'createJob',
    name: 'createJob',
    query: CREATE_JOB,
    variables: () => ({ job: jobInput() }),
    expected: outcomes(U, U, 'ALLOWED', 'ALLOWED', F, F, F, F, F),
  },
  {
    field: 'applyToJob',
    name: 'applyToJob to the open job',
    query: APPLY,
    variables: (world) => ({ jobId: world.openJob }),
    expected: outcomes(U, U, F, F, 'CONFLICT', 'ALLOWED', F, F, F),
  },
  {
    field: 'processBooking',
    name: "processBooking of a pending application (the deactivated user: of their own job's)",
    query: PROCESS_BOOKING,
    freshWorld: true,
    variables: (world, caller) => ({ input: bookingInputFor(world, caller) }),
    expected: outcomes(U, U, 'ALLOWED', F, F, F, F, F, F),
  },
  {
    field: 'bookNanny',
    name: "bookNanny (deprecated) of a pending application (the deactivated user: of their own job's)",
    query: BOOK,
    freshWorld: true,
    variables: bookingInputFor,
    expected: outcomes(U, U, 'ALLOWED', F, F, F, F, F, F),
  },
  {
    field: 'cancelBooking',
    name: 'cancelBooking of the confirmed booking',
    query: CANCEL_BOOKING,
    freshWorld: true,
    variables: (world) => ({ id: world.booking }),
    expected: outcomes(U, U, 'ALLOWED', F, F, F, 'ALLOWED', F, F),
  },
];

/** What actually happened when the caller ran the row: an error code, the view, or ALLOWED. */
export const observeOutcome = async (
  driver: SecurityDriver,
  world: World,
  row: AuthorizationRow,
  caller: Caller,
): Promise<Outcome | string> => {
  const response: GraphQLResponse = await driver.gql(
    row.query,
    row.variables(world, caller),
    credentialsOf(driver, world, caller),
  );
  if (response.errors) {
    const codes = response.errors.map((error) => error.extensions?.code ?? `no code: ${error.message}`);
    return codes.length === 1 ? codes[0] : codes.join(',');
  }
  const answer = (response.data ?? {}) as Data;
  if (answer[row.field] === null || answer[row.field] === undefined) return 'null without an error';
  row.verify?.(answer, world, caller);
  return row.view ? row.view(answer) : 'ALLOWED';
};

/**
 * The table as jest tests, on whichever runtime `driver()` reaches once its suite has started it: the embedded
 * system (security/authorization.e2e.test.ts) and the system on Dapr sidecars (dapr/dapr-system.e2e.test.ts).
 */
export const itFollowsTheAuthorizationTable = (driver: () => SecurityDriver, schemaRootFields: () => string[]) => {
  let shared: World;

  beforeAll(async () => {
    shared = await buildWorld(driver());
  }, 120_000);

  it('when the schema has a root field, then the table has a row for it (and no row names a field it lacks)', () => {
    const inSchema = [...schemaRootFields()].sort();
    const inTable = [...new Set(AUTHORIZATION_TABLE.map((row) => row.field))].sort();

    expect(inTable).toEqual(inSchema);
  });

  describe.each(AUTHORIZATION_TABLE.map((row) => [row.name, row] as const))('%s', (_name, row) => {
    it.each(CALLERS.map((caller) => [describeCaller(caller), row.expected[caller], caller] as const))(
      'when called by %s, then %s',
      async (_who, expected, caller) => {
        const world = row.freshWorld ? await buildWorld(driver()) : shared;

        const outcome = await observeOutcome(driver(), world, row, caller);

        expect(outcome).toBe(expected);
      },
      60_000,
    );
  });
};
