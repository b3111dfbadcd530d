import type { Server } from 'node:http';
import {
  AppError,
  DependencyUnavailableError,
  ServiceUnavailableError,
  type InvokeRequest,
  type InvokeResponse,
  type Invoker,
} from '@sitter/ports';
import type { AppId, Route, RouteMethod } from '@sitter/contracts';
import { z } from 'zod';
import { close, createLogger, createServiceApp, currentRequestId, listen, requireActor, ServiceCaller } from '../src';

const route = (appId: AppId, method: RouteMethod, path: string): Route => ({ appId, method, path });

/** Service invocation over real HTTP to one app on a loopback port, whatever the app id. */
class LoopbackInvoker implements Invoker {
  constructor(private readonly port: number | undefined) {}

  async invoke<T = unknown>(_appId: string, request: InvokeRequest): Promise<InvokeResponse<T>> {
    if (this.port === undefined) throw new Error('connect ECONNREFUSED');
    const response = await fetch(`http://127.0.0.1:${this.port}${request.path}`, {
      method: request.method,
      headers: { ...request.headers, ...(request.body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
    });
    return { status: response.status, body: (await response.json()) as T };
  }
}

const app = createServiceApp(createLogger('service-caller-test', 'silent'), [
  {
    method: 'GET',
    path: '/whoami',
    handle: async (req) => ({ actor: requireActor(req), requestId: currentRequestId() }),
  },
  { method: 'POST', path: '/echo', handle: async ({ body }) => body },
  {
    method: 'GET',
    path: '/refuse',
    handle: async () => {
      throw new AppError('CONFLICT', 'the job is reserved', 'status');
    },
  },
  {
    method: 'GET',
    path: '/busy',
    handle: async () => {
      throw new DependencyUnavailableError('redis', 'state store down', { retryAfterSeconds: 7 });
    },
  },
  {
    method: 'GET',
    path: '/crash',
    handle: async () => {
      throw new Error('a bug');
    },
  },
]);

describe('ServiceCaller', () => {
  let server: Server;
  let caller: ServiceCaller;

  beforeAll(async () => {
    const listening = await listen(app, 0, '127.0.0.1');
    server = listening.server;
    caller = new ServiceCaller(new LoopbackInvoker(listening.port), {
      actor: { username: 'Alice', roles: ['PARENT'] },
      requestId: 'req-42',
    });
  });

  afterAll(() => close(server, 0));

  it('when a call is made for a caller, then the service sees the caller (canonical name) and the request id', async () => {
    // Act
    const answer = await caller.call(route('user', 'GET', '/whoami'));

    // Assert
    expect(answer).toEqual({ actor: { username: 'alice', roles: ['PARENT'] }, requestId: 'req-42' });
  });

  it('when the answer has the expected shape, then call resolves with the parsed body', async () => {
    // Act
    const answer = await caller.call(route('job', 'POST', '/echo'), {
      body: { id: 'j1', extra: 1 },
      answer: z.object({ id: z.string() }),
    });

    // Assert
    expect(answer).toEqual({ id: 'j1' });
  });

  it('when the answer has another shape, then the service counts as unavailable', async () => {
    // Act
    const call = caller.call(route('job', 'POST', '/echo'), { body: { id: 5 }, answer: z.object({ id: z.string() }) });

    // Assert
    await expect(call).rejects.toBeInstanceOf(ServiceUnavailableError);
  });

  it('when the service refuses, then the same AppError comes back: code, message and field', async () => {
    // Act
    const error: unknown = await caller.call(route('job', 'GET', '/refuse')).catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'CONFLICT', message: 'the job is reserved', field: 'status' });
  });

  it('when a dependency of the service is down, then ServiceUnavailableError carries the service own retry hint', async () => {
    // Act
    const error: unknown = await caller.call(route('job', 'GET', '/busy')).catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({ appId: 'job', retryAfterSeconds: 7 });
  });

  it('when the service fails on its own, then it counts as unavailable, not as a refusal', async () => {
    // Act
    const error: unknown = await caller.call(route('job', 'GET', '/crash')).catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(ServiceUnavailableError);
  });

  it('when find asks for something that does not exist, then it resolves with null', async () => {
    // Act
    const found = await caller.find(route('job', 'GET', '/no-such-route'));

    // Assert
    expect(found).toBeNull();
  });

  it('when the service cannot be reached, then the call fails with ServiceUnavailableError naming it', async () => {
    // Arrange
    const unreachable = new ServiceCaller(new LoopbackInvoker(undefined));

    // Act
    const error: unknown = await unreachable.call(route('user', 'GET', '/whoami')).catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({ appId: 'user' });
  });
});
