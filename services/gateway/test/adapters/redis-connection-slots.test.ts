import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocket } from 'ws';
import { describeWithInfra, freePort, startRedis, type RedisServer } from '@sitter/infra-harness';
import { close, createLogger, listen } from '@sitter/platform';
import { LiveCloseCodes, RedisConnectionSlots, serveWebSocketSubscriptions } from '../../src';
import { startGateway, type GatewayFixture } from '../protection/gateway-fixture';

const MAX_PER_USER = 2;
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

// A real redis-server: skipped with a message only outside CI when it is not provisioned (CI=true throws).
describeWithInfra(['redis'])('LIVE_MAX_CONNECTIONS_PER_USER in Redis, shared by gateway replicas', () => {
  let redis: RedisServer;
  let fixture: GatewayFixture;
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    redis = await startRedis();
    fixture = await startGateway();
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  afterAll(async () => {
    await fixture?.stop();
    await redis?.stop();
  });

  const slotsIn = async (keyPrefix: string, options: { host?: string; ttlMs?: number } = {}) => {
    const slots = await RedisConnectionSlots.connect({
      host: options.host ?? redis.address,
      keyPrefix,
      timeoutMs: 1_000,
      ttlMs: options.ttlMs,
    });
    cleanups.push(() => slots.close());
    return slots;
  };

  /** A gateway replica: its own HTTP server and WebSocket subscriptions, counting in `slots`. */
  const replica = async (slots: RedisConnectionSlots) => {
    const { server, port } = await listen(fixture.app, 0, '127.0.0.1');
    const webSockets = serveWebSocketSubscriptions(server, {
      yoga: fixture.yoga,
      authenticator: fixture.authenticator,
      logger,
      limits: { maxConnections: 100, maxConnectionsPerUser: MAX_PER_USER },
      slots,
    });
    cleanups.push(async () => {
      await webSockets.close();
      await close(server as Server);
    });
    return port;
  };

  it('when a user connects to two gateways sharing one Redis, then together they admit the limit, and one more once a connection closes', async () => {
    // Arrange
    const prefix = `two-gateways-${Date.now()}:`;
    const [first, second] = [await replica(await slotsIn(prefix)), await replica(await slotsIn(prefix))];
    const token = fixture.token('ada');

    // Act
    const onFirst = await connect(first, token);
    const onSecond = await connect(second, token);
    const third = await connect(first, token);
    await closed(onSecond.socket);
    // The gateway gives the slot back once it has seen the close: try until it has (at most 2 s).
    let afterClose = await connect(first, token);
    for (let tries = 0; afterClose.outcome !== 'ack' && tries < 40; tries += 1) {
      await sleep(50);
      afterClose = await connect(first, token);
    }
    const otherUser = await connect(second, fixture.token('bob'));
    for (const each of [onFirst, afterClose, otherUser]) cleanups.push(() => closed(each.socket));

    // Assert
    expect([onFirst.outcome, onSecond.outcome]).toEqual(['ack', 'ack']);
    expect(third.outcome).toBe(LiveCloseCodes.tooManyConnections);
    expect(afterClose.outcome).toBe('ack');
    expect(otherUser.outcome).toBe('ack');
  });

  it('when a gateway dies with its connections open, then their slots lapse after the TTL and the user may connect again', async () => {
    // Arrange: the dead gateway's slots, taken and never refreshed or released
    const prefix = `dead-gateway-${Date.now()}:`;
    const dead = await slotsIn(prefix, { ttlMs: 500 });
    await dead.acquire('ada', 'dead-1', MAX_PER_USER);
    await dead.acquire('ada', 'dead-2', MAX_PER_USER);
    const port = await replica(await slotsIn(prefix));
    const token = fixture.token('ada');

    // Act
    const whileHeld = await connect(port, token);
    await sleep(600);
    const afterTtl = await connect(port, token);
    cleanups.push(() => closed(afterTtl.socket));

    // Assert
    expect(whileHeld.outcome).toBe(LiveCloseCodes.tooManyConnections);
    expect(afterTtl.outcome).toBe('ack');
  });

  it('when an open connection keeps its slot past the TTL, then it is refreshed and still counts', async () => {
    // Arrange
    const prefix = `refresh-${Date.now()}:`;
    const port = await replica(await slotsIn(prefix, { ttlMs: 600 }));
    const token = fixture.token('ada');
    const held = await Promise.all([connect(port, token), connect(port, token)]);
    for (const each of held) cleanups.push(() => closed(each.socket));

    // Act
    await sleep(1_000);
    const beyond = await connect(port, token);

    // Assert
    expect(held.map((each) => each.outcome)).toEqual(['ack', 'ack']);
    expect(beyond.outcome).toBe(LiveCloseCodes.tooManyConnections);
  });

  it('when Redis cannot be reached, then a new connection is refused with 4503 (fail closed)', async () => {
    // Arrange
    const port = await replica(await slotsIn('down:', { host: `127.0.0.1:${await freePort()}` }));

    // Act
    const refused = await connect(port, fixture.token('ada'));

    // Assert
    expect(refused.outcome).toBe(LiveCloseCodes.limitsUnavailable);
  });
});
