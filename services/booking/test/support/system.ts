import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { HttpMethod, InvokeResponse } from '@sitter/ports';
import { EmbeddedRuntime } from '@sitter/embedded-runtime';
import { close, createLogger, listen } from '@sitter/platform';
import { createUserApp } from '@sitter/user-service';
import { createJobApp } from '@sitter/job-service';
import { createBookingApp, type BookingServiceDeps } from '../../src';

type Role = 'PARENT' | 'NANNY' | 'ADMIN';

export interface Person {
  username: string;
  roles: Role[];
}

export const as = (person: Person): Record<string, string> => ({
  'x-sitter-username': person.username,
  'x-sitter-roles': person.roles.join(','),
});

const support: Person = { username: 'support', roles: ['ADMIN'] };

/**
 * The real user, job and booking apps in one embedded runtime, as `npm start` runs them, with
 * booking reachable over HTTP on 127.0.0.1 for supertest.
 */
export const startSystem = async (
  bookingOverrides: Partial<BookingServiceDeps> = {},
  apps: { user?: boolean; job?: boolean } = {},
): Promise<System> => {
  const logger = createLogger('booking-test', 'silent');
  const runtime = new EmbeddedRuntime({ logger, retry: { maxAttempts: 3, initialBackoffMs: 5, maxBackoffMs: 20 } });
  if (apps.user !== false) runtime.register('user', createUserApp({ ...(await runtime.sidecar('user')), logger }));
  if (apps.job !== false) runtime.register('job', createJobApp({ ...(await runtime.sidecar('job')), logger }));
  const booking = createBookingApp({ ...(await runtime.sidecar('booking')), logger, ...bookingOverrides });
  runtime.register('booking', booking);
  await runtime.start();
  const { server, port } = await listen(booking, 0, '127.0.0.1');
  return new System(runtime, server, `http://127.0.0.1:${port}`);
};

export class System {
  constructor(
    readonly runtime: EmbeddedRuntime,
    private readonly server: Server,
    readonly bookingUrl: string,
  ) {}

  async stop(): Promise<void> {
    await close(this.server);
    await this.runtime.stop();
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

  async postJob(owner: Person): Promise<string> {
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
      cost: '80.00',
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
