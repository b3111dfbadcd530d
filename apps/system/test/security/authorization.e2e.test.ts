import { rootFields } from '@sitter/gateway';
import { itFollowsTheAuthorizationTable, type SecurityDriver } from '../support/authorization-table';
import { embeddedDriver, startTestSystem, type TestSystem } from '../support/harness';

/** The authorization table (support/authorization-table.ts) on the embedded runtime. */
describe('authorization: every operation of the schema × every kind of caller', () => {
  let t: TestSystem;
  let driver: SecurityDriver;

  beforeAll(async () => {
    t = await startTestSystem();
    driver = embeddedDriver(t);
  });

  afterAll(async () => {
    await t.stop();
  });

  itFollowsTheAuthorizationTable(
    () => driver,
    () => [...rootFields().query, ...rootFields().mutation],
  );
});
