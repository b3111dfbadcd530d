import type { SecurityDriver, World } from './authorization-table';
import {
  CANCEL_BOOKING,
  CREATE_JOB,
  CREATE_USER,
  PROCESS_BOOKING,
  BOOKINGS_BY_STATUS,
  apply,
  jobInput,
  postJob,
  processBooking,
  signUp,
} from './fixtures';
import { errorCodes, uniqueName, type GraphQLResponse } from './harness';

/**
 * Abuse cases of the hardening issue, written once for every runtime like the authorization table:
 * input-rules.e2e.test.ts runs them on the embedded runtime. Each one asserts what it expects.
 */

const GET_USER = `query ($username: String!) { getUser(username: $username) { username firstName email about status } }`;
const UPDATE_USER = `mutation ($user: UpdateUserInput!) { updateUser(user: $user) { username about } }`;
const UPDATE_STATUS = `mutation ($username: String!, $status: UserStatus!) {
  updateUserStatus(username: $username, status: $status) { username status }
}`;
const GET_JOB = `query ($id: ID!) { getJob(id: $id) { id status address } }`;
const LIST_APPLICATIONS = `query ($jobId: ID!) { listJobApplications(jobId: $jobId) { id status } }`;
const LIST_JOBS = `query ($status: JobStatus!) { listJobsByStatus(jobStatus: $status, limit: 100) { items { id address } } }`;

/** Text no field may hold; each is sent as a JSON variable, as a client would. */
export const HOSTILE_TEXT: Array<[string, string]> = [
  ['a NUL', 'Sam\u0000'],
  ['an ANSI escape sequence', '\u001b[2J\u001b[31mSam'],
  ['a right-to-left override', 'Sam\u202Eexe.gpj'],
  ['a bidi isolate', '\u2066Sam\u2069'],
  ['only zero-width characters', '\u200B\u200C\u2060'],
  ['a lone surrogate', 'Sam\uD800'],
];

const expectBadInput = (response: GraphQLResponse, field: string) => {
  expect(response.errors?.map((error) => error.extensions)).toEqual([{ code: 'BAD_USER_INPUT', field }]);
};

const profileInput = (username: string, overrides: Record<string, unknown> = {}) => ({
  username,
  email: `${uniqueName('mail')}@example.com`,
  type: 'PARENT',
  firstName: 'Sam',
  lastName: 'Lee',
  ...overrides,
});

/** A calendar day in Europe/London, `days` from today (0 = today). */
const londonDay = (days: number): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(Date.now() + days * 86_400_000));

export const inputRules = {
  /** `Alice`, `ALICE` and `alice` are one account: stored lower case, a second sign-up is CONFLICT. */
  async usernamesAreCaseInsensitive(driver: SecurityDriver): Promise<void> {
    const canonical = uniqueName('alice');
    const mixed = `Al${canonical.slice(2)}`;
    const shouting = canonical.toUpperCase();

    const first = await driver.gql(
      CREATE_USER,
      { user: profileInput(mixed) },
      { token: driver.tokenFor(mixed, 'PARENT') },
    );
    const again = await driver.gql(
      CREATE_USER,
      { user: profileInput(canonical) },
      { token: driver.tokenFor(canonical, 'PARENT') },
    );
    const loud = await driver.gql(
      CREATE_USER,
      { user: profileInput(shouting) },
      { token: driver.tokenFor(shouting, 'PARENT') },
    );
    const lookedUp = await driver.gql<{ getUser: { username: string; email: string | null } }>(
      GET_USER,
      { username: shouting },
      { token: driver.tokenFor(canonical, 'PARENT') },
    );
    const edited = await driver.gql(
      UPDATE_USER,
      { user: { username: canonical, about: 'edited with a shouting token' } },
      { token: driver.tokenFor(shouting, 'PARENT') },
    );

    expect(first.errors).toBeUndefined();
    expect(first.data?.createUser).toMatchObject({ username: canonical });
    expect(errorCodes(again)).toEqual(['CONFLICT']);
    expect(errorCodes(loud)).toEqual(['CONFLICT']);
    expect(lookedUp.data?.getUser).toMatchObject({ username: canonical, email: expect.stringContaining('@') });
    expect(edited.data?.updateUser).toEqual({ username: canonical, about: 'edited with a shouting token' });
  },

  /** Control, bidi and invisible-only text and lone surrogates are BAD_USER_INPUT naming the field; nothing is stored. */
  async hostileTextIsRefused(driver: SecurityDriver, world: World): Promise<void> {
    for (const [label, value] of HOSTILE_TEXT) {
      const username = uniqueName('text');
      const token = driver.tokenFor(username, 'PARENT');

      const signUpAnswer = await driver.gql(
        CREATE_USER,
        { user: profileInput(username, { firstName: value }) },
        { token },
      );
      const stored = await driver.gql(GET_USER, { username }, { token });
      const jobAnswer = await driver.gql(
        CREATE_JOB,
        { job: jobInput({ address: value }) },
        { token: world.people.parentOwner.token },
      );
      const cityAnswer = await driver.gql(
        CREATE_JOB,
        { job: jobInput({ city: value }) },
        { token: world.people.parentOwner.token },
      );
      const aboutAnswer = await driver.gql(
        UPDATE_USER,
        { user: { username: world.people.parentOther.username, about: value } },
        { token: world.people.parentOther.token },
      );

      expectBadInput(signUpAnswer, 'firstName');
      expect({ label, stored: stored.data?.getUser }).toEqual({ label, stored: null });
      expectBadInput(jobAnswer, 'address');
      expectBadInput(cityAnswer, 'city');
      expectBadInput(aboutAnswer, 'about');
    }
  },

  /** Text is stored in NFC, and free text keeps its line breaks. */
  async textIsStoredNormalized(driver: SecurityDriver): Promise<void> {
    const username = uniqueName('nfc');
    const token = driver.tokenFor(username, 'NANNY');

    const created = await driver.gql<{ createUser: { firstName: string } }>(
      CREATE_USER,
      { user: profileInput(username, { type: 'NANNY', firstName: 'Zoe\u0301' }) },
      { token },
    );
    const about = await driver.gql(UPDATE_USER, { user: { username, about: 'Line one\nLine two' } }, { token });

    expect(created.data?.createUser.firstName).toBe('Zo\u00e9');
    expect(about.data?.updateUser).toEqual({ username, about: 'Line one\nLine two' });
  },

  /** A job may not start before now (Europe/London time). */
  async jobsCannotStartInThePast(driver: SecurityDriver, world: World): Promise<void> {
    const yesterday = londonDay(-1);

    const response = await driver.gql(
      CREATE_JOB,
      { job: jobInput({ startDate: yesterday, endDate: londonDay(1) }) },
      { token: world.people.parentOwner.token },
    );

    expectBadInput(response, 'startDate');
  },

  /** The profile type must be one of the token's roles. */
  async profileTypeFollowsTheRole(driver: SecurityDriver): Promise<void> {
    const asParent = uniqueName('rolemix');
    const asNanny = uniqueName('rolemix');

    const nannyProfile = await driver.gql(
      CREATE_USER,
      { user: profileInput(asParent, { type: 'NANNY' }) },
      { token: driver.tokenFor(asParent, 'PARENT') },
    );
    const parentProfile = await driver.gql(
      CREATE_USER,
      { user: profileInput(asNanny, { type: 'PARENT' }) },
      { token: driver.tokenFor(asNanny, 'NANNY') },
    );
    const stored = await driver.gql(GET_USER, { username: asParent }, { token: driver.tokenFor(asParent, 'PARENT') });

    expect(errorCodes(nannyProfile)).toEqual(['FORBIDDEN']);
    expect(errorCodes(parentProfile)).toEqual(['FORBIDDEN']);
    expect(stored.data?.getUser).toBeNull();
  },

  /** A deactivated user can no longer edit their profile; an ADMIN still can. */
  async deactivatedUsersCannotEdit(driver: SecurityDriver, world: World): Promise<void> {
    const { deactivated, admin } = world.people;

    const byOwner = await driver.gql(
      UPDATE_USER,
      { user: { username: deactivated.username, about: 'back again' } },
      { token: deactivated.token },
    );
    const after = await driver.gql<{ getUser: { about: string | null } }>(
      GET_USER,
      { username: deactivated.username },
      { token: admin.token },
    );

    expect(errorCodes(byOwner)).toEqual(['FORBIDDEN']);
    expect(after.data?.getUser.about).toBeNull();
  },

  /** Empty and malformed ids are BAD_USER_INPUT naming the argument; no error names an internal route. */
  async malformedIdsAreRefused(driver: SecurityDriver, world: World): Promise<void> {
    const token = world.people.parentOwner.token;
    for (const id of ['', '   ', 'a/b', '..', '../../users/x', 'x'.repeat(65)]) {
      const job = await driver.gql(GET_JOB, { id }, { token });
      const cancel = await driver.gql(CANCEL_BOOKING, { id }, { token });
      const book = await driver.gql(
        PROCESS_BOOKING,
        { input: { jobId: world.openJob, applicationId: id, paymentToken: 'tok_visa' } },
        { token },
      );

      expectBadInput(job, 'id');
      expectBadInput(cancel, 'id');
      expectBadInput(book, 'applicationId');
      for (const answer of [job, cancel, book]) {
        expect(answer.errors?.[0].message).not.toMatch(/route|\/bookings|\/jobs/);
      }
    }
  },

  /** With only the API key, CLOSED (booked) jobs are UNAUTHENTICATED; open ones come without addresses. */
  async apiKeySeesOnlyOpenJobs(driver: SecurityDriver): Promise<void> {
    const closed = await driver.gql(LIST_JOBS, { status: 'CLOSED' }, { apiKey: driver.apiKey });
    const open = await driver.gql<{ listJobsByStatus: { items: Array<{ address: string | null }> } }>(
      LIST_JOBS,
      { status: 'OPEN' },
      { apiKey: driver.apiKey },
    );

    expect(errorCodes(closed)).toEqual(['UNAUTHENTICATED']);
    expect(closed.data ?? null).toBeNull();
    expect(open.data?.listJobsByStatus.items.length).toBeGreaterThan(0);
    expect(open.data?.listJobsByStatus.items.every((job) => job.address === null)).toBe(true);
  },

  /**
   * A nanny deactivated after applying cannot be booked: CONFLICT, and nothing is half-written (the job
   * stays OPEN, the application PENDING, no booking in any status); an active applicant still can be.
   */
  async deactivatedNanniesCannotBeBooked(driver: SecurityDriver, world: World): Promise<void> {
    const parent = await signUp(driver, 'PARENT');
    const gone = await signUp(driver, 'NANNY');
    const active = await signUp(driver, 'NANNY');
    const job = await postJob(driver, parent.token);
    const goneApplication = await apply(driver, gone.token, job.id);
    const activeApplication = await apply(driver, active.token, job.id);
    await driver.gql(
      UPDATE_STATUS,
      { username: gone.username, status: 'DEACTIVATED' },
      { token: world.people.admin.token },
    );

    const refused = await driver.gql(
      PROCESS_BOOKING,
      { input: { jobId: job.id, applicationId: goneApplication.id, paymentToken: 'tok_visa' } },
      { token: parent.token },
    );
    const jobAfter = await driver.gql<{ getJob: { status: string } }>(GET_JOB, { id: job.id }, { token: parent.token });
    const applications = await driver.gql<{ listJobApplications: Array<{ id: string; status: string }> }>(
      LIST_APPLICATIONS,
      { jobId: job.id },
      { token: parent.token },
    );
    const bookings = [];
    for (const status of ['UNCONFIRMED', 'CONFIRMED', 'CANCELLED']) {
      const page = await driver.gql<{ getBookingByStatus: { items: unknown[] } }>(
        BOOKINGS_BY_STATUS,
        { customer: parent.username, status },
        { token: parent.token },
      );
      bookings.push(...(page.data?.getBookingByStatus.items ?? []));
    }
    const booked = await processBooking(driver, parent.token, {
      jobId: job.id,
      applicationId: activeApplication.id,
      paymentToken: 'tok_visa',
    });

    expect(errorCodes(refused)).toEqual(['CONFLICT']);
    expect(refused.errors?.[0].message).toMatch(/nanny's account/);
    expect(jobAfter.data?.getJob.status).toBe('OPEN');
    expect(applications.data?.listJobApplications.map((application) => application.status)).toEqual([
      'PENDING',
      'PENDING',
    ]);
    expect(bookings).toEqual([]);
    expect(booked).toMatchObject({ status: 'UNCONFIRMED', nanny: active.username });
  },
};
