import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Publisher, StateStore, TransactionOperation } from '@sitter/ports';
import type { BookingEvent } from '@sitter/contracts';
import type { BookingRecord } from '../../src/domain';
import { ManualClock, MINUTE } from '../support/clock';
import { startSystem, type Person, type System } from '../support/system';

/**
 * A crash is simulated by a sidecar part that fails at the chosen point for the rest of the first
 * run; the first runtime is then stopped and a second one starts on the same data directory with
 * healthy parts, as a restarted process would.
 */
let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'booking-restart-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const crashed = () => new Error('process crashed');

/** Every payment request fails: the process "dies" between the reservation and the payment. */
const diesBeforePayment = (publisher: Publisher): Publisher => ({
  publish: async (topic, data, options) => {
    if (topic === 'payments.requests') throw crashed();
    await publisher.publish(topic, data, options);
  },
});

/** Recording a held reservation fails: the job service reserved, but the booking never learnt it. */
const diesBeforeRecordingReservation = (store: StateStore): StateStore =>
  Object.assign(Object.create(store) as StateStore, {
    transact: async (operations: readonly TransactionOperation[]) => {
      const held = operations.some(
        (operation) =>
          operation.operation === 'upsert' &&
          operation.key.startsWith('booking:') &&
          (operation.value as BookingRecord).saga?.reservation === 'HELD',
      );
      if (held) throw crashed();
      await store.transact(operations);
    },
  });

interface Scenario {
  owner: Person;
  jobId: string;
  applicationIds: string[];
  id: string;
}

const bookInFirstRun = async (first: System): Promise<Scenario> => {
  const { owner, jobId, applicationIds } = await first.jobWithApplicants(2);
  const booked = await first.bookOk(owner, { jobId, applicationId: applicationIds[0], paymentToken: 'tok_visa' });
  await first.settle();
  return { owner, jobId, applicationIds, id: booked.id };
};

/** A second run on the same data directory: recovers, runs `check` against it, then stops. */
const afterRestart = async (clock: ManualClock, check: (second: System) => Promise<void>): Promise<void> => {
  const second = await startSystem({ dataDir, clock });
  try {
    await second.recover();
    await check(second);
  } finally {
    await second.stop();
  }
};

/** The scenario's booking is CONFIRMED: its application ACCEPTED, the other DECLINED, and one payment requested. */
const expectConfirmedOnce = async (second: System, scenario: Scenario): Promise<void> => {
  expect((await second.read(scenario.owner, scenario.id)).body.status).toBe('CONFIRMED');
  expect(await second.applicationStatuses(scenario.owner, scenario.jobId)).toEqual({
    [scenario.applicationIds[0]]: 'ACCEPTED',
    [scenario.applicationIds[1]]: 'DECLINED',
  });
  expect(second.messages('payments.requests')).toHaveLength(1);
};

describe('when the process dies between the reservation and the payment request', () => {
  it('then after a restart the booking resumes from what was stored: one reservation, one charge, CONFIRMED', async () => {
    const clock = new ManualClock();
    const first = await startSystem({ dataDir, clock, wrapPublisher: diesBeforePayment });
    const scenario = await bookInFirstRun(first);
    const stored = await first.record(scenario.id);
    await first.stop();
    expect(stored).toMatchObject({ status: 'UNCONFIRMED', saga: { reservation: 'HELD', payment: 'NONE' } });

    await afterRestart(clock, async (second) => {
      await expectConfirmedOnce(second, scenario);
      expect(await second.stateOf('payments-sandbox', `payment:${scenario.id}:authorize`)).toMatchObject({
        outcome: 'AUTHORIZED',
      });
      expect(second.messages<BookingEvent>('bookings.events').map((event) => event.type)).toEqual(['BookingConfirmed']);
    });
  });

  it('then a restart after the deadline cancels the booking and reopens the job instead', async () => {
    const clock = new ManualClock();
    const first = await startSystem({ dataDir, clock, wrapPublisher: diesBeforePayment });
    const scenario = await bookInFirstRun(first);
    await first.stop();
    clock.advance(20 * MINUTE);

    await afterRestart(clock, async (second) => {
      expect((await second.read(scenario.owner, scenario.id)).body).toMatchObject({
        status: 'CANCELLED',
        cancellationReason: 'no payment result before the booking deadline',
      });
      expect(await second.jobStatus(scenario.jobId)).toBe('OPEN');
      expect(second.messages('payments.requests')).toEqual([]);
    });
  });
});

describe('when the process dies after the job service reserved but before the booking recorded it', () => {
  it('then after a restart the reservation is recognised as its own, not made twice nor refused, and it confirms', async () => {
    const clock = new ManualClock();
    const first = await startSystem({ dataDir, clock, wrapStore: diesBeforeRecordingReservation });
    const scenario = await bookInFirstRun(first);
    const stored = await first.record(scenario.id);
    const jobInFirstRun = await first.jobStatus(scenario.jobId);
    await first.stop();
    expect(stored?.saga.reservation).toBe('REQUESTED');
    expect(jobInFirstRun).toBe('CLOSED');

    await afterRestart(clock, (second) => expectConfirmedOnce(second, scenario));
  });
});

describe('when the process dies right after storing a new booking, before BookingRequested is out', () => {
  it('then after a restart the scheduler starts the booking from its stored state and it confirms', async () => {
    const clock = new ManualClock();
    const first = await startSystem({ dataDir, clock });
    const { owner, jobId, applicationIds } = await first.jobWithApplicants(1);
    // The broker refuses from now on: the booking is stored, its BookingRequested is lost.
    await first.runtime.broker.stop();
    const booked = await first.bookOk(owner, { jobId, applicationId: applicationIds[0], paymentToken: 'tok_visa' });
    const stored = await first.record(booked.id);
    await first.stop();
    expect(stored).toMatchObject({ status: 'UNCONFIRMED', saga: { reservation: 'NONE' } });

    await afterRestart(clock, async (second) => {
      expect((await second.read(owner, booked.id)).body.status).toBe('CONFIRMED');
      expect(await second.jobStatus(jobId)).toBe('CLOSED');
    });
  });
});
