import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { EmbeddedStateStore } from '@sitter/embedded-runtime';
import { PartnerTopics, Topics, type PaymentRequest } from '@sitter/contracts';
import type { Actor, Publisher, StateStore } from '@sitter/ports';
import { serviceEventLog } from '@sitter/platform';
import {
  createBookingUseCases,
  defaultBookingSettings,
  randomBookingReference,
  type BookingUseCases,
  type JobService,
} from '../../src/domain';
import { ManualClock, MINUTE } from '../support/clock';
import { capturingLogger } from '../support/logs';

/**
 * Two booking replicas in one test process over one real state store: every outside call they make (the job
 * service's reservation, the payment request, the declines) is counted where it leaves the replica.
 */
const customer: Actor = { username: 'parent-ada', roles: ['PARENT'] };
const LEASE_TTL_MS = 400;

interface Outside {
  reservations: string[];
  published: Array<{ topic: string; data: unknown }>;
  /** Slows every reservation, so racing replicas overlap. */
  reserveDelayMs: number;
}

const outside = (): Outside => ({ reservations: [], published: [], reserveDelayMs: 0 });

/** The job service as the replicas see it: every job is the customer's, with three pending applications. */
const jobService = (calls: Outside, onReserve: () => Promise<void> = async () => undefined): JobService => ({
  findJob: async (_actor, jobId) => ({ id: jobId, owner: customer.username, status: 'OPEN', cost: '80.00' }),
  listApplications: async (_actor, jobId) =>
    ['a0', 'a1', 'a2'].map((id) => ({ id: `${jobId}-${id}`, nanny: `nanny-${id}`, status: 'PENDING' as const })),
  reserve: async (_actor, jobId, applicationId) => {
    calls.reservations.push(applicationId);
    await onReserve();
    await sleep(calls.reserveDelayMs);
    return { reserved: true, otherPendingApplicationIds: [`${jobId}-a1`, `${jobId}-a2`] };
  },
  release: async () => undefined,
});

const recordingPublisher = (calls: Outside, beforePublish: (topic: string) => Promise<void> = async () => undefined) =>
  ({
    publish: async (topic, data) => {
      await beforePublish(topic);
      calls.published.push({ topic, data });
    },
  }) satisfies Publisher;

const replica = (store: StateStore, clock: ManualClock, jobs: JobService, publisher: Publisher): BookingUseCases =>
  createBookingUseCases({
    store,
    publisher,
    accounts: { statusOf: async () => 'ACTIVE' },
    events: serviceEventLog({ store, clock }),
    jobs,
    clock,
    log: capturingLogger().logger,
    newId: randomUUID,
    newReference: randomBookingReference,
    settings: { ...defaultBookingSettings, leaseTtlMs: LEASE_TTL_MS },
  });

const book = async (bookings: BookingUseCases) => {
  const jobId = `job-${randomUUID().slice(0, 8)}`;
  const input = { jobId, applicationId: `${jobId}-a0`, paymentToken: 'tok_visa' };
  return bookings.processBooking(customer, input);
};

const paymentRequestsOf = (calls: Outside, bookingId: string) =>
  calls.published.filter(
    ({ topic, data }) => topic === PartnerTopics.paymentRequests && (data as PaymentRequest).bookingId === bookingId,
  );
const declinesOf = (calls: Outside) => calls.published.filter(({ topic }) => topic === Topics.applicationDeclines);

const authorized = (bookingId: string) => ({
  version: 1,
  bookingId,
  idempotencyKey: `${bookingId}:authorize`,
  outcome: 'AUTHORIZED',
  processorReference: 'ch_1',
  processedAt: '2031-03-01T09:00:01.000Z',
});

/** A process that stops dead: from `kill()` on, nothing it started completes and it writes nothing more. */
const mortal = () => {
  let dead = false;
  const never = new Promise<never>(() => undefined);
  return {
    kill: () => void (dead = true),
    isDead: () => dead,
    /** Hangs once dead (a killed process never answers). */
    check: async () => {
      if (dead) await never;
    },
    store: (store: StateStore): StateStore =>
      new Proxy(store, {
        get: (target, name) => {
          const member = Reflect.get(target, name) as unknown;
          if (typeof member !== 'function') return member;
          return async (...args: unknown[]) => {
            if (dead) await never;
            return (member as (...a: unknown[]) => unknown).apply(target, args);
          };
        },
      }),
  };
};

describe('two booking replicas over one store', () => {
  it('when both replicas advance the same booking at once, then each outside call is made once per step', async () => {
    // Arrange
    const store = new EmbeddedStateStore();
    const clock = new ManualClock();
    const calls = outside();
    calls.reserveDelayMs = 50;
    const [first, second] = [0, 1].map(() => replica(store, clock, jobService(calls), recordingPublisher(calls)));
    const booked = await book(first);

    // Act: the BookingRequested event and a scheduler visit wake both at once; the result is delivered to both.
    await Promise.all([first.advance(booked.id), second.advance(booked.id), second.advance(booked.id)]);
    await Promise.all([first.onPaymentResult(authorized(booked.id)), second.onPaymentResult(authorized(booked.id))]);

    // Assert
    expect(calls.reservations).toEqual([booked.applicationId]);
    expect(paymentRequestsOf(calls, booked.id)).toHaveLength(1);
    expect(
      declinesOf(calls)
        .map(({ data }) => (data as { applicationId: string }).applicationId)
        .sort(),
    ).toEqual([`${booked.jobId}-a1`, `${booked.jobId}-a2`]);
    expect((await first.getBooking(customer, booked.id)).status).toBe('CONFIRMED');
  });

  it('when the replica advancing a booking dies mid-step, then the other takes it over once the lease expires and repeats no finished step', async () => {
    // Arrange: the first replica dies as it publishes the payment request, after the reservation is recorded.
    const store = new EmbeddedStateStore();
    const clock = new ManualClock();
    const calls = outside();
    const doomed = mortal();
    const dying = recordingPublisher(calls, async (topic) => {
      if (topic === PartnerTopics.paymentRequests) doomed.kill();
      await doomed.check();
    });
    const first = replica(doomed.store(store), clock, jobService(calls), dying);
    const second = replica(store, clock, jobService(calls), recordingPublisher(calls));
    const booked = await book(first);
    void first.advance(booked.id);
    await waitUntil(() => calls.reservations.length === 1 && doomed.isDead());
    const diedAt = Date.now();

    // Act: a redelivered BookingRequested (or a scheduler visit) reaches the survivor.
    await second.advance(booked.id);
    const tookOverAfterMs = Date.now() - diedAt;
    await second.onPaymentResult(authorized(booked.id));

    // Assert
    expect(tookOverAfterMs).toBeGreaterThanOrEqual(LEASE_TTL_MS / 2);
    expect(calls.reservations).toEqual([booked.applicationId]);
    expect(paymentRequestsOf(calls, booked.id)).toHaveLength(1);
    expect(declinesOf(calls)).toHaveLength(2);
    expect((await second.getBooking(customer, booked.id)).status).toBe('CONFIRMED');
  });

  it('when two replicas sweep at once, then every due booking is visited by one of them, once', async () => {
    // Arrange: twelve bookings whose first step is due (their BookingRequested was never handled).
    const store = new EmbeddedStateStore();
    const clock = new ManualClock();
    const calls = outside();
    const [first, second] = [0, 1].map(() => replica(store, clock, jobService(calls), recordingPublisher(calls)));
    const booked = await Promise.all(Array.from({ length: 12 }, () => book(first)));
    clock.advance(MINUTE);

    // Act
    const visited = await Promise.all([
      first.sweeper.sweep({ intervalMs: 60_000 }),
      second.sweeper.sweep({ intervalMs: 60_000 }),
    ]);

    // Assert
    expect(visited[0] + visited[1]).toBe(12);
    expect(calls.reservations.sort()).toEqual(booked.map((booking) => booking.applicationId).sort());
    expect(calls.published.filter(({ topic }) => topic === PartnerTopics.paymentRequests)).toHaveLength(12);
  });

  it('when the replica that swept a bucket stops, then the other sweeps it on its next pass; while it lives, not before the interval ends', async () => {
    // Arrange: one booking due at the deadline (payment requested, no answer).
    const store = new EmbeddedStateStore();
    const clock = new ManualClock();
    const calls = outside();
    const [first, second] = [0, 1].map(() => replica(store, clock, jobService(calls), recordingPublisher(calls)));
    const booked = await book(first);
    await first.advance(booked.id);
    clock.advance(16 * MINUTE);
    await first.sweeper.sweep({ intervalMs: 60_000 });
    const bookedAgain = await book(first);
    await first.advance(bookedAgain.id);
    clock.advance(16 * MINUTE);

    // Act
    const whileHeld = await second.sweeper.sweep({ intervalMs: 60_000 });
    await first.sweeper.release();
    const afterRelease = await second.sweeper.sweep({ intervalMs: 60_000 });

    // Assert: the first pass cancelled the first booking; the second booking waited for the release.
    expect((await first.getBooking(customer, booked.id)).status).toBe('CANCELLED');
    expect(whileHeld).toBe(0);
    expect(afterRelease).toBe(1);
    expect((await first.getBooking(customer, bookedAgain.id)).status).toBe('CANCELLED');
  });
});

const waitUntil = async (predicate: () => boolean, timeoutMs = 10_000): Promise<void> => {
  const giveUpAt = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > giveUpAt) throw new Error('timed out waiting for the condition');
    await sleep(5);
  }
};
