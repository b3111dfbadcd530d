/**
 * Topic administration and broker checks through kafkajs's admin client, the Kafka client the project already uses.
 */
import { Kafka, logLevel, type Admin } from 'kafkajs';

export interface TopicSpec {
  name: string;
  partitions: number;
  /** Topic-level configs, e.g. { 'retention.ms': '60000' }. */
  configs?: Record<string, string>;
}

export interface TopicLayout {
  name: string;
  /** One entry per partition: its index and the node id of its leader (-1 while it has none). */
  partitions: { index: number; leader: number }[];
}

interface AdminOptions {
  timeoutMs: number;
  /** kafkajs's own retries of a failed request; 0 makes a probe answer at once. */
  retries: number;
}

async function withAdmin<T>(brokers: string, options: AdminOptions, work: (admin: Admin) => Promise<T>): Promise<T> {
  const kafka = new Kafka({
    clientId: 'sitter-infra-harness',
    brokers: brokers.split(',').map((b) => b.trim()),
    connectionTimeout: options.timeoutMs,
    requestTimeout: options.timeoutMs,
    retry: { retries: options.retries, initialRetryTime: 100, maxRetryTime: 1_000 },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/** True when a broker at `brokers` answers a metadata request and names at least one broker. */
export async function brokerAnswers(brokers: string, timeoutMs = 2_000): Promise<boolean> {
  try {
    const cluster = await withAdmin(brokers, { timeoutMs, retries: 0 }, (admin) => admin.describeCluster());
    return cluster.brokers.length > 0;
  } catch {
    return false;
  }
}

/** Every topic's partitions and leaders; topics the broker does not know are left out. */
export async function describeTopics(brokers: string, names: readonly string[]): Promise<TopicLayout[]> {
  return withAdmin(brokers, { timeoutMs: 5_000, retries: 3 }, async (admin) => {
    const existing = new Set(await admin.listTopics());
    const known = names.filter((name) => existing.has(name));
    if (known.length === 0) return [];
    const { topics } = await admin.fetchTopicMetadata({ topics: known });
    return topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map((p) => ({ index: p.partitionId, leader: p.leader })),
    }));
  });
}

/** Errors a topic's metadata may answer with for a moment after it was created. */
const SETTLING = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

/**
 * Creates the topics (replication factor 1) and waits until every partition has a leader. Idempotent: a topic that
 * already exists with the same partition count is fine; one with a different count is an error.
 */
export async function createTopics(brokers: string, topics: readonly TopicSpec[], timeoutMs = 30_000): Promise<void> {
  // Right after start-up the broker may not have registered itself yet ("only 0 broker(s) are registered"):
  // kafkajs retries that, as it does a leader election still under way.
  await withAdmin(brokers, { timeoutMs, retries: 8 }, async (admin) => {
    await admin.createTopics({
      topics: topics.map((t) => ({
        topic: t.name,
        numPartitions: t.partitions,
        replicationFactor: 1,
        configEntries: Object.entries(t.configs ?? {}).map(([name, value]) => ({ name, value })),
      })),
      timeout: timeoutMs,
      waitForLeaders: false,
    });
    // Not kafkajs's waitForLeaders (on unless turned off): it gives up when a loaded broker answers that it does not host the new
    // topic yet, which it says before it says the leader is not available.
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const layouts = await admin.fetchTopicMetadata({ topics: topics.map((t) => t.name) }).then(
        ({ topics: found }) => found,
        (error: unknown) => {
          const { type, originalError } = error as { type?: string; originalError?: { type?: string } };
          if (!SETTLING.has(type ?? originalError?.type ?? '') || Date.now() > deadline) throw error;
          return undefined;
        },
      );
      if (layouts !== undefined) {
        for (const spec of topics) {
          const found = layouts.find((t) => t.name === spec.name)?.partitions.length ?? 0;
          if (found !== spec.partitions)
            throw new Error(
              `topic ${spec.name} exists with ${found} partitions, but ${spec.partitions} were asked for`,
            );
        }
        const leaderless = layouts.filter((t) => t.partitions.some((p) => p.leader < 0)).map((t) => t.name);
        if (leaderless.length === 0) return;
        if (Date.now() > deadline)
          throw new Error(`no leader within ${timeoutMs} ms for a partition of ${leaderless.join(', ')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
}
