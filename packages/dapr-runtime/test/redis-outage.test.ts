import { rmSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { unique } from '@sitter/ports/contract/wait-for';
import {
  describeWithInfra,
  freePort,
  makeTempDir,
  startDaprd,
  startRedis,
  writeDaprResources,
  type Daprd,
  type RedisServer,
} from '@sitter/infra-harness';
import { close, createLogger, createServiceApp, listen, type Operation } from '@sitter/platform';
import { daprSidecar } from '../src';

// Real processes: skipped with a message only outside CI when the tools are not provisioned (CI=true throws).
const describeReal = describeWithInfra(['redis', 'daprd']);

const logger = createLogger('dapr-redis-outage-test', 'silent');

/** A service with one write and one read through its sidecar's (locked) state store, as the services do. */
const itemOperations = (store: ReturnType<typeof daprSidecar>['store']): Operation[] => [
  {
    method: 'PUT',
    path: '/items/:id',
    handle: async ({ params, body }) => {
      await store.save(`item:${params.id}`, body);
      return { saved: params.id };
    },
  },
  {
    method: 'GET',
    path: '/items/:id',
    handle: async ({ params }) => (await store.get(`item:${params.id}`))?.value ?? null,
  },
];

describeReal('a service on Dapr when Redis goes away', () => {
  const appId = unique('outage-app');
  let dir: string;
  let redisPort: number;
  let redis: RedisServer | undefined;
  let daprd: Daprd | undefined;
  let server: Server | undefined;
  let base: string;

  const startOurRedis = () => startRedis({ port: redisPort, dataDir: dir, persist: true });

  beforeAll(async () => {
    dir = makeTempDir('dapr-redis-outage');
    redisPort = await freePort();
    redis = await startOurRedis();
    const resourcesPath = writeDaprResources(path.join(dir, 'resources'), {
      apps: [appId],
      components: ['stateStore', 'lockStore'],
    });
    daprd = await startDaprd({ appId, resourcesPath, redisHost: redis.address, readiness: 'outbound' });
    const sidecar = daprSidecar(appId, { daprHttpPort: daprd.httpPort, logger });
    const listening = await listen(createServiceApp(logger, itemOperations(sidecar.store)), 0, '127.0.0.1');
    server = listening.server;
    base = `http://127.0.0.1:${listening.port}`;
  }, 120_000);

  afterAll(async () => {
    if (server) await close(server, 1_000);
    await daprd?.stop();
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const put = (id: string) =>
    fetch(`${base}/items/${id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id }),
    });

  it('when Redis is killed, then writes and reads answer 503 UNAVAILABLE with a retry hint, and work again once it is back', async () => {
    // Arrange
    expect((await put('before')).status).toBe(200);
    const daprdPid = daprd!.pid;

    // Act: kill -9 the real redis-server under the running sidecar
    process.kill(redis!.pid, 'SIGKILL');
    const write = await put('during');
    const writeBody = (await write.json()) as Record<string, unknown>;
    const read = await fetch(`${base}/items/before`);
    const readBody = (await read.json()) as Record<string, unknown>;
    redis = await startOurRedis();
    let after = await put('after');
    for (let attempt = 0; after.status !== 200 && attempt < 100; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      after = await put('after');
    }
    const readBack = (await (await fetch(`${base}/items/after`)).json()) as unknown;

    // Assert
    expect(write.status).toBe(503);
    expect(write.headers.get('retry-after')).toBe('5');
    expect(writeBody).toMatchObject({ code: 'UNAVAILABLE', retryAfterSeconds: 5 });
    expect(read.status).toBe(503);
    expect(readBody).toMatchObject({ code: 'UNAVAILABLE' });
    expect(after.status).toBe(200);
    expect(readBack).toEqual({ id: 'after' });
    expect(daprd!.pid).toBe(daprdPid);
  }, 90_000);
});
