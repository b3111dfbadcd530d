import { buildWorld, type SecurityDriver, type World } from '../support/authorization-table';
import { embeddedDriver, startTestSystem, type TestSystem } from '../support/harness';
import { inputRules } from '../support/input-rules';

/** The abuse cases of support/input-rules.ts on the embedded runtime. */
describe('input rules against hostile clients', () => {
  let t: TestSystem;
  let driver: SecurityDriver;
  let world: World;

  beforeAll(async () => {
    t = await startTestSystem();
    driver = embeddedDriver(t);
    world = await buildWorld(driver);
  });

  afterAll(async () => {
    await t.stop();
  });

  it('when Alice, ALICE and alice sign up, then they are one account and the later sign-ups are CONFLICT', async () => {
    await inputRules.usernamesAreCaseInsensitive(driver);
  });

  it('when names, addresses, cities or about hold control, bidi, invisible-only text or lone surrogates, then BAD_USER_INPUT naming the field', async () => {
    await inputRules.hostileTextIsRefused(driver, world);
  });

  it('when text comes decomposed, then it is stored NFC and free text keeps its line breaks', async () => {
    await inputRules.textIsStoredNormalized(driver);
  });

  it('when a job starts in the past, then BAD_USER_INPUT on startDate', async () => {
    await inputRules.jobsCannotStartInThePast(driver, world);
  });

  it("when a profile's type is not one of the token's roles, then FORBIDDEN and nothing is stored", async () => {
    await inputRules.profileTypeFollowsTheRole(driver);
  });

  it('when a deactivated user edits their profile, then FORBIDDEN and it is unchanged', async () => {
    await inputRules.deactivatedUsersCannotEdit(driver, world);
  });

  it('when an id is empty or malformed, then BAD_USER_INPUT naming it and no route is named', async () => {
    await inputRules.malformedIdsAreRefused(driver, world);
  });

  it('when only the API key lists CLOSED jobs, then UNAUTHENTICATED; OPEN ones come without addresses', async () => {
    await inputRules.apiKeySeesOnlyOpenJobs(driver);
  });

  it('when a deactivated nanny is booked, then CONFLICT and nothing is half-written', async () => {
    await inputRules.deactivatedNanniesCannotBeBooked(driver, world);
  });
});
