import { rootFields } from '@sitter/gateway';
import {
  AUTHORIZATION_TABLE,
  CALLERS,
  buildWorld,
  describeCaller,
  observeOutcome,
  type SecurityDriver,
  type World,
} from '../support/authorization-table';
import { embeddedDriver, startTestSystem, type TestSystem } from '../support/harness';

/** The authorization table (support/authorization-table.ts) on the embedded runtime. */
describe('authorization: every operation of the schema × every kind of caller', () => {
  let t: TestSystem;
  let driver: SecurityDriver;
  let shared: World;

  beforeAll(async () => {
    t = await startTestSystem();
    driver = embeddedDriver(t);
    shared = await buildWorld(driver);
  });

  afterAll(async () => {
    await t.stop();
  });

  it('when the schema has a root field, then the table has a row for it (and no row names a field it lacks)', () => {
    const { query, mutation } = rootFields();
    const inSchema = [...query, ...mutation].sort();
    const inTable = [...new Set(AUTHORIZATION_TABLE.map((row) => row.field))].sort();

    expect(inTable).toEqual(inSchema);
  });

  describe.each(AUTHORIZATION_TABLE.map((row) => [row.name, row] as const))('%s', (_name, row) => {
    it.each(CALLERS.map((caller) => [describeCaller(caller), row.expected[caller], caller] as const))(
      'when called by %s, then %s',
      async (_who, expected, caller) => {
        const world = row.freshWorld ? await buildWorld(driver) : shared;

        const outcome = await observeOutcome(driver, world, row, caller);

        expect(outcome).toBe(expected);
      },
    );
  });
});
