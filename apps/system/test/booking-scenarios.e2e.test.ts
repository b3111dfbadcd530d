import { bookingScenarios, type BookingDriver } from './support/booking-scenarios';
import { startTestSystem, type TestSystem } from './support/harness';

/**
 * The runtime-neutral booking scenarios on the embedded runtime. The real-infrastructure issue runs
 * the same scenarios against daprd + Kafka (see services/booking/README.md, "Real infrastructure").
 */
describe('booking scenarios on the embedded runtime', () => {
  let t: TestSystem;
  let driver: BookingDriver;
  beforeAll(async () => {
    t = await startTestSystem();
    driver = {
      gql: t.gql,
      tokenFor: t.tokenFor,
      eventually: async (check, what) => {
        await t.system.runtime.broker.drain();
        if (!(await check())) throw new Error(`after every message was handled, still not: ${what}`);
      },
    };
  });
  afterAll(async () => {
    await t.stop();
  });

  it('when a parent books with a card that authorizes, then CONFIRMED with a reference and the others declined', async () => {
    await bookingScenarios.confirmsAndDeclinesTheOthers(driver);
  });

  it('when the card is declined, then CANCELLED with the reason and the reservation compensated', async () => {
    await bookingScenarios.compensatesADeclinedPayment(driver);
  });
});
