import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { AppIds, Headers } from '@sitter/contracts';
import type { Actor } from '@sitter/ports';
import { createLogger, type Logger } from '@sitter/platform';
import { EmbeddedRuntime } from '@sitter/embedded-runtime';
import { createUserApp } from '@sitter/user-service';
import { createJobApp } from '@sitter/job-service';
import { unique } from './wait';

/** Where the real job service is registered; the app id `job` belongs to the front below. */
const JOB_BACKEND = 'job-backend';

export interface DeclineCall {
  applicationId: string;
  jobId: string;
  requestId: string | undefined;
  /** The HTTP status answered (503 when the front failed the call itself). */
  status: number;
  /** The job service's outcome on 200: DECLINED or ALREADY_DECLINED. */
  outcome?: string;
}

/**
 * A real HTTP front of the real job service, standing where the decliner reaches `job`: it records
 * every decline call and can fail chosen ones with 503, as an unavailable sidecar or service would.
 */
export class JobFront {
  readonly calls: DeclineCall[] = [];
  private readonly failures = new Map<string, number>();
  /** Runs as each decline call arrives, before it is answered. */
  onCall?: (call: { applicationId: string; index: number }) => void;
  delayMs = 0;

  constructor(
    private readonly forward: (
      method: string,
      path: string,
      headers: Record<string, string>,
      body: unknown,
    ) => Promise<{ status: number; body: unknown }>,
  ) {}

  /** The next `times` calls for the application answer 503 (Infinity: all of them). */
  fail(applicationId: string, times = Infinity): void {
    this.failures.set(applicationId, times);
  }

  heal(applicationId: string): void {
    this.failures.delete(applicationId);
  }

  callsFor(applicationId: string): DeclineCall[] {
    return this.calls.filter((call) => call.applicationId === applicationId);
  }

  outcomesFor(applicationId: string): Array<string | undefined> {
    return this.callsFor(applicationId).map((call) => call.outcome ?? String(call.status));
  }

  readonly handler: RequestListener = (req, res) => {
    this.serve(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'INTERNAL', message: (error as Error).message }));
    });
  };

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const body: unknown = text ? JSON.parse(text) : undefined;
    const path = req.url ?? '/';
    const match = /^\/applications\/([^/]+)\/decline$/.exec(path.split('?')[0]);
    // Only the internal headers travel on (request id, caller), as a sidecar would pass them.
    const headers = Object.fromEntries(
      Object.entries(req.headers).flatMap(([name, value]) =>
        typeof value === 'string' && name.startsWith('x-') ? [[name, value]] : [],
      ),
    );
    if (!match) {
      const answer = await this.forward(req.method ?? 'GET', path, headers, body);
      return respond(res, answer.status, answer.body);
    }
    const applicationId = decodeURIComponent(match[1]);
    const call: DeclineCall = {
      applicationId,
      jobId: String((body as { jobId?: unknown } | undefined)?.jobId),
      requestId: headers[Headers.requestId],
      status: 0,
    };
    this.onCall?.({ applicationId, index: this.calls.length });
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const left = this.failures.get(applicationId) ?? 0;
    if (left > 0) {
      this.failures.set(applicationId, left - 1);
      call.status = 503;
      this.calls.push(call);
      return respond(res, 503, { code: 'UNAVAILABLE', message: 'job service is unavailable (test front)' });
    }
    const answer = await this.forward('POST', path, headers, body);
    call.status = answer.status;
    call.outcome = (answer.body as { outcome?: string } | undefined)?.outcome;
    this.calls.push(call);
    respond(res, answer.status, answer.body);
  }
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const respond = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body ?? null));
};

const as = (actor: Actor): Record<string, string> => ({
  [Headers.callerUsername]: actor.username,
  [Headers.callerRoles]: actor.roles.join(','),
});

export interface Applications {
  jobId: string;
  owner: Actor;
  applicationIds: string[];
}

/**
 * The real user and job services on one embedded runtime (as `npm start` runs them), with the
 * job service behind a JobFront registered as `job`: `runtime.invoker` is what the decliner uses.
 */
export class JobServiceFixture {
  readonly front: JobFront;

  private constructor(readonly runtime: EmbeddedRuntime) {
    this.front = new JobFront(async (method, path, headers, body) =>
      runtime.invoker.invoke(JOB_BACKEND, { method: method as 'POST', path, headers, body }),
    );
    runtime.register(AppIds.job, this.front.handler);
  }

  static async start(logger: Logger = createLogger('job-fixture', 'silent')): Promise<JobServiceFixture> {
    const runtime = new EmbeddedRuntime({ logger });
    runtime.register(AppIds.user, createUserApp({ ...(await runtime.sidecar(AppIds.user)), logger }));
    runtime.register(JOB_BACKEND, createJobApp({ ...(await runtime.sidecar(JOB_BACKEND)), logger }));
    await runtime.start();
    return new JobServiceFixture(runtime);
  }

  /** A job with `count` PENDING applications, each from its own nanny. */
  async pendingApplications(count: number): Promise<Applications> {
    const owner = await this.signUp('PARENT');
    const job = await this.call<{ id: string }>(owner, 'POST', '/jobs', JOB, 201);
    const applicationIds: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const nanny = await this.signUp('NANNY');
      applicationIds.push((await this.call<{ id: string }>(nanny, 'POST', `/jobs/${job.id}/applications`, {}, 201)).id);
    }
    return { jobId: job.id, owner, applicationIds };
  }

  /** Books one application: it becomes ACCEPTED. */
  async accept(applications: Applications, applicationId: string): Promise<void> {
    await this.call(applications.owner, 'POST', `/jobs/${applications.jobId}/reservations`, { applicationId }, 200);
  }

  async statuses(applications: Applications): Promise<Record<string, string>> {
    const listed = await this.call<Array<{ id: string; status: string }>>(
      applications.owner,
      'GET',
      `/jobs/${applications.jobId}/applications`,
      undefined,
      200,
    );
    return Object.fromEntries(listed.map((application) => [application.id, application.status]));
  }

  async allDeclined(applications: Applications): Promise<boolean> {
    const statuses = await this.statuses(applications);
    return applications.applicationIds.every((id) => statuses[id] === 'DECLINED');
  }

  stop(): Promise<void> {
    return this.runtime.stop();
  }

  private async signUp(type: 'PARENT' | 'NANNY'): Promise<Actor> {
    const actor: Actor = { username: unique(type.toLowerCase()), roles: [type] };
    await this.invoke(
      AppIds.user,
      actor,
      'POST',
      '/users',
      {
        username: actor.username,
        email: `${actor.username}@example.com`,
        type,
        firstName: 'Test',
        lastName: type === 'PARENT' ? 'Parent' : 'Nanny',
      },
      201,
    );
    return actor;
  }

  private call<T>(actor: Actor, method: 'GET' | 'POST', path: string, body: unknown, expected: number): Promise<T> {
    return this.invoke<T>(JOB_BACKEND, actor, method, path, body, expected);
  }

  private async invoke<T>(
    appId: string,
    actor: Actor,
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    expected: number,
  ): Promise<T> {
    const response = await this.runtime.invoker.invoke<T>(appId, { method, path, headers: as(actor), body });
    if (response.status !== expected) {
      throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
    }
    return response.body;
  }
}

const JOB = {
  jobType: 'ONE_OFF',
  startDate: '2031-07-01',
  endDate: '2031-07-01',
  startTime: '09:00',
  endTime: '17:00',
  address: '1 Decliner Lane',
  city: 'Leeds',
  latitude: 53.8,
  longitude: -1.55,
  cost: '80.00',
};
