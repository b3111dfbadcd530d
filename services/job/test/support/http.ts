import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Actor } from '@sitter/ports';
import { AppIds, Headers } from '@sitter/contracts';
import { close, createLogger, listen, type Logger } from '@sitter/platform';
import { EmbeddedRuntime, type Sidecar } from '@sitter/embedded-runtime';
import { createUserApp } from '@sitter/user-service';
import { createJobApp } from '../../src';
import { steppingClock } from './domain';

export interface LogEntry {
  level: string;
  message: string;
  [key: string]: unknown;
}

/** A real logger whose output the test can read instead of the console. */
const capturingLogger = (): { logger: Logger; entries: LogEntry[] } => {
  const logger = createLogger(AppIds.job, 'debug');
  for (const transport of logger.transports) transport.silent = true;
  const entries: LogEntry[] = [];
  logger.on('data', (info: LogEntry) => entries.push(info));
  return { logger, entries };
};

export interface JobServiceUnderTest {
  runtime: EmbeddedRuntime;
  sidecar: Sidecar;
  http: ReturnType<typeof request>;
  logs: LogEntry[];
  stop(): Promise<void>;
}

/**
 * The job service on a real HTTP server (127.0.0.1, any free port), in one embedded runtime
 * with the real user service, as Dapr would run them side by side.
 */
export const startJobService = async (options: { withUserService?: boolean } = {}): Promise<JobServiceUnderTest> => {
  const { logger, entries } = capturingLogger();
  const runtime = new EmbeddedRuntime({ logger, retry: { maxAttempts: 3, initialBackoffMs: 10, maxBackoffMs: 50 } });
  if (options.withUserService ?? true) {
    runtime.register(AppIds.user, createUserApp({ ...(await runtime.sidecar(AppIds.user)), logger }));
  }
  const sidecar = await runtime.sidecar(AppIds.job);
  // A clock that ticks per reading keeps "newest first" exact even for jobs posted in the same millisecond.
  const app = createJobApp({ ...sidecar, logger, clock: steppingClock() });
  runtime.register(AppIds.job, app);
  await runtime.start();
  const { server, port } = await listen(app, 0, '127.0.0.1');
  return {
    runtime,
    sidecar,
    http: request(`http://127.0.0.1:${port}`),
    logs: entries,
    stop: async () => {
      await close(server);
      await runtime.stop();
    },
  };
};

/** The internal headers the gateway sets for a caller. */
export const as = (actor: Actor): Record<string, string> => ({
  [Headers.callerUsername]: actor.username,
  [Headers.callerRoles]: actor.roles.join(','),
});

const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 12)}`;

/** Signs a user up through the user service's own route, as the gateway would. */
export const signUp = async (runtime: EmbeddedRuntime, type: 'PARENT' | 'NANNY'): Promise<Actor> => {
  const actor: Actor = { username: unique(type.toLowerCase()), roles: [type] };
  const response = await runtime.invoker.invoke(AppIds.user, {
    method: 'POST',
    path: '/users',
    headers: as(actor),
    body: {
      username: actor.username,
      email: `${actor.username}@example.com`,
      type,
      firstName: 'Test',
      lastName: type === 'PARENT' ? 'Parent' : 'Nanny',
    },
  });
  if (response.status !== 201) throw new Error(`sign-up failed: ${response.status} ${JSON.stringify(response.body)}`);
  return actor;
};

export const adminActor = (): Actor => ({ username: unique('admin'), roles: ['ADMIN'] });

export const deactivate = async (runtime: EmbeddedRuntime, username: string): Promise<void> => {
  const response = await runtime.invoker.invoke(AppIds.user, {
    method: 'PUT',
    path: `/users/${username}/status`,
    headers: as(adminActor()),
    body: { status: 'DEACTIVATED' },
  });
  if (response.status !== 200) throw new Error(`deactivation failed: ${response.status}`);
};

/** A job whose every field differs from every other, so a value stored in the wrong field shows. */
export const jobBody = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  jobType: 'LIVE_IN',
  startDate: '2031-07-01',
  endDate: '2031-07-20',
  startTime: '07:30',
  endTime: '19:15',
  address: '221B Baker Street',
  city: 'London',
  latitude: 51.5238,
  longitude: -0.1586,
  cost: '2450.75',
  ...overrides,
});
