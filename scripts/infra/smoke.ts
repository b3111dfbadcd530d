/**
 * `npm run infra:smoke`: proves the provisioned pieces work together, with plain fetch against daprd's HTTP API.
 * Starts Redis and Kafka, creates the system's topics, starts the `booking` sidecar (with a tiny HTTP app that stands
 * in for booking: it receives bookings.events through the declarative Subscription and answers one invocation) and
 * the `job` sidecar (no app), both on the system's Dapr resources with the Redis state store (those of
 * dapr-components/ and its state-redis/: state and locks on Redis, as `dev:dapr -- --state-store redis` and the chart's
 * `dapr.stateStore.type: redis` run them), then: health, state with ETags and a transaction, a key lock, key
 * isolation between apps, publish + delivery through Kafka, a refused publish outside the topic scopes, service
 * invocation between the sidecars. Stops everything at the end.
 */
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { AppIds, Components, Topics, subscriptionRoute } from '@sitter/contracts';
import {
  createTopics,
  deadLetterTopic,
  makeTempDir,
  startDaprd,
  writeDaprResources,
  startKafka,
  startRedis,
  systemTopics,
  type Daprd,
  type KafkaBroker,
  type RedisServer,
} from '@sitter/infra-harness';
import { elapsed, log, step } from './progress';

function expect(condition: boolean, what: string, detail: unknown = ''): void {
  if (!condition)
    throw new Error(`smoke check failed: ${what} ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`);
  log(`  ✔ ${what}`);
}

async function call(base: string, method: string, route: string, body?: unknown) {
  const response = await fetch(base + route, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as unknown };
}

/** One raw Redis command (RESP), to look at what Dapr wrote without a Redis client package. */
async function redisCommand(redis: RedisServer, ...args: string[]): Promise<string> {
  const socket = net.connect({ host: redis.host, port: redis.port });
  await once(socket, 'connect');
  socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
  const [chunk] = (await once(socket, 'data')) as [Buffer];
  socket.destroy();
  return chunk.toString('utf8').trim();
}

interface StandInApp {
  port: number;
  received: unknown[];
  close(): Promise<void>;
}

/** Stands in for the booking service: serves its bookings.events route and answers GET /ping. */
async function startStandInApp(): Promise<StandInApp> {
  const received: unknown[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'GET' && req.url === '/dapr/subscribe') {
        res.end('[]');
      } else if (req.method === 'POST' && req.url === subscriptionRoute(Topics.bookingEvents)) {
        received.push(JSON.parse(body));
        res.end(JSON.stringify({ status: 'SUCCESS' }));
      } else if (req.method === 'GET' && req.url === '/ping') {
        res.end(JSON.stringify({ pong: true }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as net.AddressInfo).port,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function waitFor(what: string, condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`smoke check failed: ${what} within ${timeoutMs / 1000}s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function checks(redis: RedisServer, booking: Daprd, job: Daprd, standIn: StandInApp): Promise<void> {
  const b = booking.httpUrl;
  const health = await call(b, 'GET', '/v1.0/healthz');
  expect(health.status === 204, 'GET /v1.0/healthz answers 204', health);

  const metadata = (await call(b, 'GET', '/v1.0/metadata')).json() as {
    runtimeVersion?: string;
    components?: { name: string; type: string }[];
  };
  const loaded = (metadata.components ?? []).map((c) => `${c.name}:${c.type}`).sort();
  expect(
    loaded.includes(`${Components.stateStore}:state.redis`) &&
      loaded.includes(`${Components.lockStore}:lock.redis`) &&
      loaded.includes(`${Components.pubsub}:pubsub.kafka`),
    `daprd ${metadata.runtimeVersion} loaded ${loaded.join(', ')}`,
  );

  const store = `/v1.0/state/${Components.stateStore}`;
  const key = `smoke-${Date.now()}`;
  const saved = await call(b, 'POST', store, [{ key, value: { n: 1 } }]);
  expect(saved.status === 204, 'save state answers 204', saved);
  const read = await call(b, 'GET', `${store}/${key}`);
  const etag = read.headers.get('etag') ?? '';
  expect(
    read.status === 200 && read.text === '{"n":1}' && etag !== '',
    `get state returns the value with ETag ${etag}`,
    read,
  );

  const stale = await call(b, 'POST', store, [
    { key, value: { n: 2 }, etag: `${etag}0`, options: { concurrency: 'first-write' } },
  ]);
  expect(stale.status === 409, 'save with a stale ETag answers 409', stale);
  const fresh = await call(b, 'POST', store, [{ key, value: { n: 2 }, etag, options: { concurrency: 'first-write' } }]);
  expect(fresh.status === 204, 'save with the current ETag answers 204', fresh);

  const other = `${key}-other`;
  const transaction = await call(b, 'POST', `${store}/transaction`, {
    operations: [
      { operation: 'upsert', request: { key: other, value: 'x' } },
      { operation: 'upsert', request: { key, value: { n: 3 }, etag } },
    ],
  });
  expect(transaction.status >= 400, `a transaction with a stale ETag is refused (${transaction.status})`, transaction);
  // Dapr's state.redis runs a transaction as MULTI/EXEC of one script per operation, and Redis does not roll back:
  // the other operations still apply. Reported, not asserted, so that a later Dapr that fixes it passes too.
  const leaked = (await call(b, 'GET', `${store}/${other}`)).status === 200;
  log(
    `  ${leaked ? '⚠ note: state.redis applied the other operation of the refused transaction (no rollback)' : '✔ the refused transaction wrote nothing'}`,
  );

  const lockPath = `/v1.0-alpha1/lock/${Components.lockStore}`;
  const lock = { resourceId: key, lockOwner: 'smoke-1', expiryInSeconds: 10 };
  const first = await call(b, 'POST', lockPath, lock);
  const second = await call(b, 'POST', lockPath, { ...lock, lockOwner: 'smoke-2' });
  const unlocked = await call(b, 'POST', `/v1.0-alpha1/unlock/${Components.lockStore}`, lock);
  expect(
    first.text === '{"success":true}' && second.text === '{"success":false}' && unlocked.text === '{"status":0}',
    'a key lock is granted once, refused to another owner while held, and released by its owner',
    [first, second, unlocked],
  );

  const exists = await redisCommand(redis, 'EXISTS', `${AppIds.booking}||${key}`);
  expect(exists === ':1', `Redis holds the key as "${AppIds.booking}||${key}" (keyPrefix appid)`, exists);
  const fromJob = await call(job.httpUrl, 'GET', `${store}/${key}`);
  expect(fromJob.status === 204, "the job sidecar cannot read booking's key", fromJob);

  const message = { version: 1, type: 'BookingRequested', eventId: `${key}:BookingRequested`, bookingId: key };
  const published = await call(b, 'POST', `/v1.0/publish/${Components.pubsub}/${Topics.bookingEvents}`, message);
  expect(published.status === 204, `publish to ${Topics.bookingEvents} answers 204`, published);
  await waitFor('the booking stand-in receives the message', () => standIn.received.length > 0, 30_000);
  const event = standIn.received[0] as { data?: { bookingId?: string } };
  expect(
    event.data?.bookingId === key,
    'the booking stand-in received it through Kafka as a CloudEvent, on its declarative Subscription',
    event,
  );

  const refused = await call(
    b,
    'POST',
    `/v1.0/publish/${Components.pubsub}/${deadLetterTopic(Topics.applicationDeclines)}`,
    message,
  );
  expect(refused.status === 403, 'publishing outside the topic scopes answers 403', refused);

  const invoked = await call(job.httpUrl, 'GET', `/v1.0/invoke/${AppIds.booking}/method/ping`);
  expect(
    invoked.status === 200 && invoked.text === '{"pong":true}',
    'job invokes booking through sqlite name resolution',
    invoked,
  );
}

async function main(): Promise<void> {
  const started = Date.now();
  const stops: (() => Promise<unknown>)[] = [];
  let failed = false;
  try {
    const [redis, kafka] = (await Promise.all([
      step('start Redis', () => startRedis()),
      step('start Kafka', () => startKafka()),
    ])) as [RedisServer, KafkaBroker];
    stops.push(redis.stop, kafka.stop);
    log(`  Redis ${redis.address}, Kafka ${kafka.brokers}`);
    await step('create topics', () => createTopics(kafka.brokers, systemTopics));

    const standIn = await startStandInApp();
    stops.unshift(standIn.close);
    const runDir = makeTempDir('smoke');
    stops.push(async () => rmSync(runDir, { recursive: true, force: true }));
    const shared = {
      resourcesPath: writeDaprResources(path.join(runDir, 'resources')),
      nameResolutionFile: path.join(runDir, 'names.db'),
      redisHost: redis.address,
      kafkaBrokers: kafka.brokers,
    };
    const [booking, job] = await step('start daprd for booking and job', () =>
      Promise.all([
        startDaprd({ ...shared, appId: AppIds.booking, appPort: standIn.port }),
        startDaprd({ ...shared, appId: AppIds.job }),
      ]),
    );
    stops.unshift(booking.stop, job.stop);
    log(`  booking http ${booking.httpPort} grpc ${booking.grpcPort}; job http ${job.httpPort} grpc ${job.grpcPort}`);
    await step('checks', () =>
      checks(redis, booking, job, standIn).catch((error: unknown) => {
        log(`--- booking sidecar ---\n${booking.output()}\n--- job sidecar ---\n${job.output()}`);
        throw error;
      }),
    );
  } catch (error) {
    failed = true;
    console.error(error instanceof Error ? error.message : error);
  } finally {
    // Sidecars first, then the app, then Redis and Kafka: each goes while what it talks to is still up.
    await step('stop everything', async () => {
      for (const stop of stops) await stop();
    });
  }
  log(`${failed ? '✘ smoke failed' : '✔ smoke passed'} in ${elapsed(started)}`);
  process.exit(failed ? 1 : 0);
}

void main();
