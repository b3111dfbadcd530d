import net from 'node:net';
import {
  createTopics,
  describeTopics,
  describeWithInfra,
  pingRedis,
  startKafka,
  startRedis,
  type KafkaBroker,
  type RedisServer,
} from '../src';

// Real processes: skipped with a message only outside CI when the tools are not provisioned (CI=true throws).
const describeReal = describeWithInfra(['redis', 'kafka']);

const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

function portAcceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describeReal('real Redis', () => {
  it('when started, then it answers PING on its loopback port, and after stop nothing listens there', async () => {
    // Arrange
    const redis: RedisServer = await startRedis();

    // Act
    const pong = await pingRedis(redis.host, redis.port);
    await redis.stop();

    // Assert
    expect(pong).toBe(true);
    expect(redis.address).toBe(`127.0.0.1:${redis.port}`);
    expect(await portAcceptsConnections(redis.port)).toBe(false);
  });
});

describeReal('real Kafka (KRaft, single node)', () => {
  let kafka: KafkaBroker;

  beforeAll(async () => {
    kafka = await startKafka();
  }, 90_000);

  afterAll(async () => {
    await kafka?.stop();
  }, 30_000);

  it('when topics are created, then each has its partition count and a leader for every partition', async () => {
    // Arrange
    const topics = [
      { name: unique('three'), partitions: 3 },
      { name: unique('one'), partitions: 1 },
    ];

    // Act
    await createTopics(kafka.brokers, topics);

    // Assert
    const layouts = await describeTopics(
      kafka.brokers,
      topics.map((t) => t.name),
    );
    for (const spec of topics) {
      const topic = layouts.find((t) => t.name === spec.name);
      expect(topic?.partitions).toHaveLength(spec.partitions);
      expect(topic?.partitions.every((p) => p.leader === 1)).toBe(true);
    }
  });

  it('when a topic is created again with the same partitions, then that succeeds', async () => {
    // Arrange
    const topic = { name: unique('again'), partitions: 2 };
    await createTopics(kafka.brokers, [topic]);

    // Act
    const again = createTopics(kafka.brokers, [topic]);

    // Assert
    await expect(again).resolves.toBeUndefined();
  });

  it('when a topic exists with another partition count, then creating it fails naming both counts', async () => {
    // Arrange
    const name = unique('mismatch');
    await createTopics(kafka.brokers, [{ name, partitions: 2 }]);

    // Act
    const attempt = createTopics(kafka.brokers, [{ name, partitions: 4 }]);

    // Assert
    await expect(attempt).rejects.toThrow(`topic ${name} exists with 2 partitions, but 4 were asked for`);
  });

  it('when a topic was never created, then asking for it does not create it', async () => {
    // Arrange
    const name = unique('absent');

    // Act
    const first = await describeTopics(kafka.brokers, [name]);
    const second = await describeTopics(kafka.brokers, [name]);

    // Assert: auto-creation is off, so the broker still does not know the topic.
    expect(first).toEqual([]);
    expect(second).toEqual([]);
  });
});
