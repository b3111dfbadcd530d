import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { HttpMethod, InvokeResponse, Publisher, StateStore } from '@sitter/ports';
import { PartnerTopics, Topics, type PaymentResult } from '@sitter/contracts';
import { EmbeddedRuntime } from '@sitter/embedded-runtime';
import { close, createLogger, listen, type Logger } from '@sitter/platform';
import { createUserApp } from '@sitter/user-service';
import { createDeclinerApp } from '@sitter/decliner';
import { createJobApp } from '@sitter/job-service';
import { createPaymentsSandboxApp, PAYMENTS_SANDBOX_APP_ID } from '@sitter/payments-sandbox';
import { createBookingService, type BookingService, type BookingServiceDeps } from '../../src';
import type { BookingRecord } from '../../src/domain';
import { ManualClock } from './clock';

type Role = 'PARENT' | 'NANNY' | 'ADMIN';

export interface Person {
  username: string;
  roles: Role[];
}

export const as = (person: Person): Record<string, string> => ({
  'x-sitter-username': person.username,
  'x-sitter-roles': person.roles.join(','),
});

export const support: Person = { username: 'support', roles: ['ADMIN'] };

/** Every topic the booking flow touches, and their dead-letter topics: the observer records them all. */
const OBSERVED = [
  PartnerTopics.paymentRequests,
  Topics.paymentResults,
  Topics.bookingEvents,
  Topics.applicationDeclines,
  `${Topics.paymentResults}.dlq`,
  `${Topics.bookingEvents}.dlq`,
];

export interface SystemOptions {
  /** Persist state and messages here (restart tests); in memory otherwise. */
  dataDir?: string;
  clock?: ManualClock;
  /** Run the payments sandbox (default); without it the test answers payment requests itself. */
  sandbox?: boolean;
  user?: boolean;
  job?: boolean;
  logger?: Logger;
  booking?: Partial<BookingServiceDeps>;
  /** Fault injection around booking's real sidecar parts: simulates a crash at a chosen point. */
  wrapStore?: (store: StateStore) => StateStore;
  wrapPublisher?: (publisher: Publisher) => Publisher;
}

/**
 * The real user, job, booking and payments-sandbox apps in one embedded runtime, as `npm start`
 * runs them, with booking reachable over HTTP on 127.0.0.1 and an observer app subscribed to
 * every topic of the flow. The scheduler's timer is not started: tests sweep by hand.
 */
export const startSystem = async (options: SystemOptions = {}): Promise<System> => {
  const logger = options.logger ?? createLogger('booking-test', 'silent');
  const clock = options.clock ?? new ManualClock();
  const runtime = new EmbeddedRuntime({
    logger,
    dataDir: options.dataDir,
    retry: { maxAttempts: 3, initialBackoffMs: 5, maxBackoffMs: 20 },
  });
  if (options.user !== false) runtime.register('user', createUserApp({ ...(await runtime.sidecar('user')), logger }));
  if (options.job !== false) {
    runtime.register('job', createJobApp({ ...(await runtime.sidecar('job')), logger }));
    // The job service no longer consumes decline requests: the decliner does, as in `npm start`.
    runtime.register('decliner', createDeclinerApp({ ...(await runtime.sidecar('decliner')), logger }));
  }
  if (options.sandbox !== false) {
    const sidecar = await runtime.sidecar(PAYMENTS_SANDBOX_APP_ID);
    runtime.register(PAYMENTS_SANDBOX_APP_ID, createPaymentsSandboxApp({ ...sidecar, logger, clock }));
  }
  const sidecar = await runtime.sidecar('booking');
  const booking = createBookingService({
    ...sidecar,
    store: options.wrapStore?.(sidecar.store) ?? sidecar.store,
    publisher: options.wrapPublisher?.(sidecar.publisher) ?? sidecar.publisher,
    logger,
    clock,
    sweepIntervalMs: 60 * 60 * 1000,
    ...options.booking,
  });
  runtime.register('booking', booking.app);
  const observed = new Map<string, unknown[]>(OBSERVED.map((topic) => [topic, []]));
  const observer = runtime.broker.subscriberFor('observer');
  for (const topic of OBSERVED) {
    observer.subscribe(topic, async (message) => {
      observed.get(topic)?.push(message.data);
    });
  }
  await runtime.start();
  const { server, port } = await listen(booking.app, 0, '127.0.0.1');
  return new System(runtime, server, `http://127.0.0.1:${port}`, booking, clock, observed);
};

export interface BookingBody {
  jobId: string;
  applicationId: string;
  paymentToken: string;
}

export class System {
  constructor(
    readonly runtime: EmbeddedRuntime,
    private readonly server: Server,
    readonly bookingUrl: string,
    readonly booking: BookingService,
    readonly clock: ManualClock,
    private readonly observed: Map<string, unknown[]>,
  ) {}

  async stop(): Promise<void> {
    await close(this.server);
    await this.booking.scheduler.stop();
    await this.runtime.stop();
  }

  /** Waits until every message under way (and all it caused) has been handled. */
  settle(): Promise<void> {
    return this.runtime.broker.drain();
  }

  /** One scheduler pass (after moving the clock), then everything it caused. */
  async sweep(): Promise<void> {
    await this.booking.scheduler.sweep();
    await this.settle();
  }

  /** What a restarted service does first: the scheduler visits every booking it had listed. */
  async recover(): Promise<void> {
    this.booking.scheduler.start();
    await this.booking.scheduler.sweep();
    await this.settle();
  }

  /** Messages the observer received on a topic, in order. */
  messages<T>(topic: string): T[] {
    return (this.observed.get(topic) ?? []) as T[];
  }

  /** Answers as the payment partner would (for tests that run without the sandbox). */
  async answerPayment(result: Omit<PaymentResult, 'version' | 'processedAt'>): Promise<void> {
    const message: PaymentResult = { version: 1, processedAt: this.clock.now().toISOString(), ...result };
    await this.runtime.broker
      .publisherFor('partner')
      .publish(Topics.paymentResults, message, { partitionKey: result.bookingId, rawPayload: true });
    await this.settle();
  }

  book(customer: Person, body: object, headers: Record<string, string> = {}) {
    return request(this.bookingUrl)
      .post('/bookings')
      .set({ ...as(customer), ...headers })
      .send(body);
  }

  /** Books and expects 201; resolves with the booking as answered. */
  async bookOk(customer: Person, body: BookingBody): Promise<Record<string, unknown> & { id: string }> {
    const response = await this.book(customer, body);
    if (response.status !== 201) throw new Error(`POST /bookings answered ${response.status}: ${response.text}`);
    return response.body;
  }

  read(reader: Person, id: string) {
    return request(this.bookingUrl)
      .get(`/bookings/${encodeURIComponent(id)}`)
      .set(as(reader));
  }

  cancel(actor: Person, id: string, body: object = {}) {
    return request(this.bookingUrl)
      .post(`/bookings/${encodeURIComponent(id)}/cancellation`)
      .set(as(actor))
      .send(body);
  }

  list(actor: Person, query: Record<string, string | number>) {
    return request(this.bookingUrl).get('/bookings').query(query).set(as(actor));
  }

  query(actor: Person, body: object) {
    return request(this.bookingUrl).post('/bookings/queries').set(as(actor)).send(body);
  }

  /** The booking as stored, saga state included. */
  async record(id: string): Promise<BookingRecord | undefined> {
    return (await (await this.runtime.stateStore('booking')).get<BookingRecord>(`booking:${id}`))?.value;
  }

  async stateOf<T>(appId: string, key: string): Promise<T | undefined> {
    return (await (await this.runtime.stateStore(appId)).get<T>(key))?.value;
  }

  /** Calls another service as `caller` and insists on the expected status. */
  async call<T>(
    appId: string,
    caller: Person,
    method: HttpMethod,
    path: string,
    expectedStatus: number,
    body?: unknown,
  ): Promise<T> {
    const response: InvokeResponse<T> = await this.runtime.invoker.invoke<T>(appId, {
      method,
      path,
      headers: as(caller),
      body,
    });
    if (response.status !== expectedStatus) {
      throw new Error(`${method} ${appId}${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
    }
    return response.body;
  }

  /** A signed-up user with the given roles; the profile type follows the first role. */
  async person(...roles: Role[]): Promise<Person> {
    const person = { username: `${roles[0].toLowerCase()}-${randomUUID().slice(0, 8)}`, roles };
    await this.call('user', person, 'POST', '/users', 201, {
      username: person.username,
      email: `${person.username}@example.com`,
      type: roles[0] === 'NANNY' ? 'NANNY' : 'PARENT',
      firstName: 'Test',
      lastName: 'Person',
    });
    return person;
  }

  async deactivate(person: Person): Promise<void> {
    await this.call('user', support, 'PUT', `/users/${person.username}/status`, 200, { status: 'DEACTIVATED' });
  }

  async postJob(owner: Person, cost = '80.00'): Promise<string> {
    const job = await this.call<{ id: string }>('job', owner, 'POST', '/jobs', 201, {
      jobType: 'ONE_OFF',
      startDate: '2031-04-05',
      endDate: '2031-04-05',
      startTime: '18:00',
      endTime: '23:30',
      address: '4 Privet Drive',
      city: 'Little Whinging',
      latitude: 51.39,
      longitude: -0.51,
      cost,
    });
    return job.id;
  }

  async apply(applicant: Person, jobId: string): Promise<string> {
    const application = await this.call<{ id: string }>(
      'job',
      applicant,
      'POST',
      `/jobs/${jobId}/applications`,
      201,
      {},
    );
    return application.id;
  }

  /** A parent's open job with one application from each of `count` nannies. */
  async jobWithApplicants(count: number, cost?: string) {
    const owner = await this.person('PARENT');
    const jobId = await this.postJob(owner, cost);
    const nannies: Person[] = [];
    const applicationIds: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const applicant = await this.person('NANNY');
      nannies.push(applicant);
      applicationIds.push(await this.apply(applicant, jobId));
    }
    return { owner, jobId, nannies, applicationIds };
  }

  /** `count` bookings by one new customer, each on its own job, made `apart` ms of clock time apart (oldest first). */
  async bookingsOf(count: number, paymentToken: string, apart: number) {
    const owner = await this.person('PARENT');
    const bookings: Array<{ id: string; createdAt: string }> = [];
    for (let index = 0; index < count; index += 1) {
      const jobId = await this.postJob(owner);
      const applicationId = await this.apply(await this.person('NANNY'), jobId);
      const booking = await this.bookOk(owner, { jobId, applicationId, paymentToken });
      bookings.push({ id: booking.id, createdAt: booking.createdAt as string });
      await this.settle();
      this.clock.advance(apart);
    }
    return { owner, bookings, ids: bookings.map((booking) => booking.id) };
  }

  async jobStatus(jobId: string): Promise<string> {
    return (await this.call<{ status: string }>('job', support, 'GET', `/jobs/${jobId}`, 200)).status;
  }

  /** Application id → status. */
  async applicationStatuses(owner: Person, jobId: string): Promise<Record<string, string>> {
    const applications = await this.call<Array<{ id: string; status: string }>>(
      'job',
      owner,
      'GET',
      `/jobs/${jobId}/applications`,
      200,
    );
    return Object.fromEntries(applications.map((application) => [application.id, application.status]));
  }
}
