import type { Server } from 'node:http';
import { WebSocket } from 'ws';
import { describeWithInfra, freePort, startRedis, type RedisServer } from '@sitter/infra-harness';
import { close, createLogger, listen } from '@sitter/platform';
import {
  InMemoryConnectionSlots,
  LiveAdmission,
  LiveCloseCodes,
  LiveEventFeed,
  RedisConnectionSlots,
  serveWebSocketSubscriptions,
  type ConnectionSlots,
  type LiveLimits,
} from '../../src';
import { startGateway, type GatewayFixture } from '../protection/gateway-fixture';
import { subscribeOverSse, waitUntil, type SseSubscription } from './sse-client';

const JOB_POSTED = `subscription ($near: NearInput!) { jobPosted(near: $near) { distanceKm } }`;
const NEAR = { near: { latitude: 51.5, longitude: -0.12, radiusKm: 10 } };
const logger = createLogger('gateway', 'silent');

/** Opens a graphql-ws connection with the token: 'ack' once acknowledged, else the close code. */
const connect = (port: number, token: string): Promise<{ outcome: 'ack' | number; socket: WebSocket }> =>
  new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/graphql`, 'graphql-transport-ws');
    socket.on('open', () =>
      socket.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${token}` } })),
    );
    socket.on('message', (data) => {
      if ((JSON.parse(String(data)) as { type: string }).type === 'connection_ack') resolve({ outcome: 'ack', socket });
    });
    socket.on('close', (code) => resolve({ outcome: code, socket }));
  });

const closed = (socket: WebSocket) =>
  new Promise<void>((resolve) => {
    if (socket.readyState === socket.CLOSED) return resolve();
    socket.once('close', () => resolve());
    socket.close();
  });

/**
 * Gateway replicas of one fixture over real HTTP, each with its feed, its LiveAdmission (shared by its WebSockets
 * and its SSE subscriptions, as main.ts wires them) and its slots.
 */
const replicas = (fixture: () => GatewayFixture) => {
  const cleanups: Array<() => Promise<void>> = [];
  const start = async (limits: LiveLimits, slots: ConnectionSlots = new InMemoryConnectionSlots()) => {
    const feed = new LiveEventFeed();
    const admission = new LiveAdmission(slots, limits);
    const { app, yoga } = fixture().replica({ liveEvents: feed, liveAdmission: admission });
    const { server, port } = await listen(app, 0, '127.0.0.1');
    const webSockets = serveWebSocketSubscriptions(server, {
      yoga,
      authenticator: fixture().authenticator,
      logger,
      admission,
    });
    const streams: SseSubscription[] = [];
    cleanups.push(async () => {
      for (const stream of streams) stream.stop();
      await Promise.all(streams.map((stream) => stream.ended));
      await webSockets.close();
      await close(server as Server);
    });
    const sse = (token: string) => {
      const stream = subscribeOverSse(`http://127.0.0.1:${port}/graphql`, token, JOB_POSTED, NEAR);
      streams.push(stream);
      return stream;
    };
    /** An SSE subscription that is listening, or the codes it was refused with. */
    const sseOpen = async (token: string) => {
      const before = feed.listenerCount;
      const stream = sse(token);
      let ended = false;
      void stream.ended.then(() => (ended = true));
      await waitUntil(() => feed.listenerCount > before || ended, 'the SSE subscription to listen or end');
      return stream;
    };
    return { port, feed, admission, webSockets, sse, sseOpen };
  };
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  return { start, stop };
};

describe('SSE subscriptions count against the live connection limits', () => {
  let fixture: GatewayFixture;
  const gateways = replicas(() => fixture);
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    fixture = await startGateway();
  });
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map(closed));
    await gateways.stop();
  });
  afterAll(async () => {
    await fixture?.stop();
  });

  it('when a user opens more SSE subscriptions than LIVE_MAX_CONNECTIONS_PER_USER, then the extra one is refused with RATE_LIMITED and the others stay', async () => {
    // Arrange
    const gateway = await gateways.start({ maxConnections: 100, maxConnectionsPerUser: 2 });
    const token = fixture.token('nina', 'NANNY');

    // Act
    const kept = [await gateway.sseOpen(token), await gateway.sseOpen(token)];
    const refused = await gateway.sseOpen(token);
    await refused.ended;
    const otherUser = await gateway.sseOpen(fixture.token('nora', 'NANNY'));

    // Assert
    expect(refused.codes).toEqual(['RATE_LIMITED']);
    expect(kept.map((stream) => stream.codes)).toEqual([[], []]);
    expect(otherUser.codes).toEqual([]);
    expect(gateway.feed.listenerCount).toBe(3);
  });

  it('when a user holds a WebSocket and an SSE stream, then together they fill LIVE_MAX_CONNECTIONS_PER_USER: another SSE gets RATE_LIMITED, another WebSocket 4429', async () => {
    // Arrange
    const gateway = await gateways.start({ maxConnections: 100, maxConnectionsPerUser: 2 });
    const token = fixture.token('nina', 'NANNY');

    // Act
    const webSocket = await connect(gateway.port, token);
    sockets.push(webSocket.socket);
    const stream = await gateway.sseOpen(token);
    const refusedStream = await gateway.sseOpen(token);
    await refusedStream.ended;
    const refusedSocket = await connect(gateway.port, token);

    // Assert
    expect(webSocket.outcome).toBe('ack');
    expect(stream.codes).toEqual([]);
    expect(refusedStream.codes).toEqual(['RATE_LIMITED']);
    expect(refusedSocket.outcome).toBe(LiveCloseCodes.tooManyConnections);
  });

  it('when an SSE stream is closed by its client, then its slot is free again for an SSE stream or a WebSocket', async () => {
    // Arrange
    const gateway = await gateways.start({ maxConnections: 100, maxConnectionsPerUser: 1 });
    const token = fixture.token('nina', 'NANNY');
    const first = await gateway.sseOpen(token);
    const whileOpen = await gateway.sseOpen(token);
    await whileOpen.ended;

    // Act
    first.stop();
    await waitUntil(() => gateway.admission.connectionCount === 0, 'the gateway to see the stream closed');
    const second = await gateway.sseOpen(token);
    second.stop();
    await waitUntil(() => gateway.admission.connectionCount === 0, 'the gateway to see the second stream closed');
    const webSocket = await connect(gateway.port, token);
    sockets.push(webSocket.socket);

    // Assert
    expect(whileOpen.codes).toEqual(['RATE_LIMITED']);
    expect(second.codes).toEqual([]);
    expect(webSocket.outcome).toBe('ack');
  });

  it('when the server ends an SSE subscription (its user deactivated), then its slot is free again', async () => {
    // Arrange
    const gateway = await gateways.start({ maxConnections: 100, maxConnectionsPerUser: 1 });
    const token = fixture.token('nina', 'NANNY');
    const first = await gateway.sseOpen(token);

    // Act
    gateway.feed.deliver({
      id: 'deactivated-1',
      type: 'USER_STATUS_CHANGED',
      entity: 'USER',
      entityId: 'nina',
      requestId: 'test',
      actor: 'admin',
      createdAt: new Date().toISOString(),
      owners: ['nina'],
      value: { status: 'DEACTIVATED' },
    });
    await first.ended;
    const webSocket = await connect(gateway.port, token);
    sockets.push(webSocket.socket);

    // Assert
    expect(first.codes).toEqual(['FORBIDDEN']);
    expect(webSocket.outcome).toBe('ack');
  });

  it('when open WebSockets and SSE streams reach LIVE_MAX_CONNECTIONS, then both are refused, whoever the user', async () => {
    // Arrange
    const gateway = await gateways.start({ maxConnections: 2, maxConnectionsPerUser: 10 });

    // Act
    const webSocket = await connect(gateway.port, fixture.token('ann', 'NANNY'));
    sockets.push(webSocket.socket);
    const stream = await gateway.sseOpen(fixture.token('bea', 'NANNY'));
    const count = gateway.webSockets.connectionCount();
    const refusedStream = await gateway.sseOpen(fixture.token('cat', 'NANNY'));
    await refusedStream.ended;
    const refusedSocket = await connect(gateway.port, fixture.token('dot', 'NANNY'));

    // Assert
    expect(webSocket.outcome).toBe('ack');
    expect(stream.codes).toEqual([]);
    expect(count).toBe(2);
    expect(refusedStream.codes).toEqual(['RATE_LIMITED']);
    expect(refusedSocket.outcome).toBe(LiveCloseCodes.tooManyConnections);
  });
});

// A real redis-server: skipped with a message only outside CI when it is not provisioned (CI=true throws).
describeWithInfra(['redis'])('SSE subscriptions counted in Redis, shared by gateway replicas', () => {
  let redis: RedisServer;
  let fixture: GatewayFixture;
  const gateways = replicas(() => fixture);
  const slots: RedisConnectionSlots[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    fixture = await startGateway();
  });
  afterEach(async () => {
    await gateways.stop();
    await Promise.all(slots.splice(0).map((each) => each.close()));
  });
  afterAll(async () => {
    await fixture?.stop();
    await redis?.stop();
  });

  const slotsIn = async (keyPrefix: string, host = redis.address) => {
    const each = await RedisConnectionSlots.connect({ host, keyPrefix, timeoutMs: 500 });
    slots.push(each);
    return each;
  };

  it('when a user streams from two gateways sharing one Redis, then together they admit LIVE_MAX_CONNECTIONS_PER_USER, and one more once a stream closes', async () => {
    // Arrange
    const prefix = `sse-two-gateways-${Date.now()}:`;
    const limits = { maxConnections: 100, maxConnectionsPerUser: 2 };
    const first = await gateways.start(limits, await slotsIn(prefix));
    const second = await gateways.start(limits, await slotsIn(prefix));
    const token = fixture.token('nina', 'NANNY');

    // Act
    const onFirst = await first.sseOpen(token);
    const onSecond = await second.sseOpen(token);
    const refused = await first.sseOpen(token);
    await refused.ended;
    onSecond.stop();
    await waitUntil(() => second.admission.connectionCount === 0, 'the second gateway to see its stream closed');
    const afterClose = await first.sseOpen(token);

    // Assert
    expect([onFirst.codes, onSecond.codes]).toEqual([[], []]);
    expect(refused.codes).toEqual(['RATE_LIMITED']);
    expect(afterClose.codes).toEqual([]);
    expect(first.feed.listenerCount).toBe(2);
  });

  it('when the Redis of the connection slots does not answer, then an SSE subscription is refused with SERVICE_UNAVAILABLE', async () => {
    // Arrange: nothing listens on the port
    const gateway = await gateways.start(
      { maxConnections: 100, maxConnectionsPerUser: 2 },
      await slotsIn('unreachable:', `127.0.0.1:${await freePort()}`),
    );

    // Act
    const refused = await gateway.sseOpen(fixture.token('nina', 'NANNY'));
    await refused.ended;

    // Assert
    expect(refused.codes).toEqual(['SERVICE_UNAVAILABLE']);
    expect(gateway.admission.connectionCount).toBe(0);
  });
});
