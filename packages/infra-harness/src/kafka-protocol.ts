/**
 * Just enough of Kafka's binary protocol to ask a broker for metadata and to create topics, so that tests need
 * neither a Kafka client package nor a JVM start per call. Uses the last non-flexible versions of both requests
 * (Metadata v1, CreateTopics v4), which every Kafka 3.x broker answers.
 */
import net from 'node:net';

const API_METADATA = 3;
const API_CREATE_TOPICS = 19;
const CLIENT_ID = 'sitter-infra-harness';

export const KafkaErrors = {
  none: 0,
  unknownTopicOrPartition: 3,
  leaderNotAvailable: 5,
  requestTimedOut: 7,
  brokerNotAvailable: 8,
  topicAlreadyExists: 36,
  invalidReplicationFactor: 38,
  notController: 41,
} as const;

class Writer {
  private readonly parts: Buffer[] = [];

  int8(value: number): this {
    const b = Buffer.alloc(1);
    b.writeInt8(value);
    return this.push(b);
  }
  int16(value: number): this {
    const b = Buffer.alloc(2);
    b.writeInt16BE(value);
    return this.push(b);
  }
  int32(value: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(value);
    return this.push(b);
  }
  string(value: string): this {
    const bytes = Buffer.from(value, 'utf8');
    return this.int16(bytes.length).push(bytes);
  }
  array<T>(items: readonly T[], write: (item: T) => void): this {
    this.int32(items.length);
    for (const item of items) write(item);
    return this;
  }
  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
  private push(b: Buffer): this {
    this.parts.push(b);
    return this;
  }
}

class Reader {
  private offset = 0;
  constructor(private readonly buffer: Buffer) {}

  int8(): number {
    const v = this.buffer.readInt8(this.offset);
    this.offset += 1;
    return v;
  }
  int16(): number {
    const v = this.buffer.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }
  int32(): number {
    const v = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }
  nullableString(): string | null {
    const length = this.int16();
    if (length < 0) return null;
    const v = this.buffer.toString('utf8', this.offset, this.offset + length);
    this.offset += length;
    return v;
  }
  string(): string {
    return this.nullableString() ?? '';
  }
  array<T>(read: () => T): T[] {
    const length = this.int32();
    const items: T[] = [];
    for (let i = 0; i < length; i++) items.push(read());
    return items;
  }
}

/** Sends one request on a fresh connection and returns the response body (after the correlation id). */
function request(broker: string, apiKey: number, apiVersion: number, body: Buffer, timeoutMs: number): Promise<Reader> {
  const [host, portText] = splitHostPort(broker);
  const correlationId = Math.floor(Math.random() * 0x7fffffff);
  const header = new Writer().int16(apiKey).int16(apiVersion).int32(correlationId).string(CLIENT_ID).toBuffer();
  const size = Buffer.alloc(4);
  size.writeInt32BE(header.length + body.length);

  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port: Number(portText) });
    let received = Buffer.alloc(0);
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new Error(`Kafka at ${broker} did not answer within ${timeoutMs} ms`));
    });
    socket.once('error', reject);
    socket.once('connect', () => socket.write(Buffer.concat([size, header, body])));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4) return;
      const length = received.readInt32BE(0);
      if (received.length < 4 + length) return;
      socket.destroy();
      const reader = new Reader(received.subarray(4, 4 + length));
      const answeredId = reader.int32();
      if (answeredId !== correlationId) {
        reject(new Error(`Kafka at ${broker} answered correlation id ${answeredId}, expected ${correlationId}`));
        return;
      }
      resolve(reader);
    });
  });
}

function splitHostPort(broker: string): [string, string] {
  const at = broker.lastIndexOf(':');
  if (at <= 0) throw new Error(`a broker address is host:port, got "${broker}"`);
  return [broker.slice(0, at), broker.slice(at + 1)];
}

export interface TopicMetadata {
  name: string;
  errorCode: number;
  partitions: { index: number; errorCode: number; leader: number }[];
}

export interface ClusterMetadata {
  brokers: { nodeId: number; host: string; port: number }[];
  controllerId: number;
  topics: TopicMetadata[];
}

/** Metadata v1. An empty topic list asks for no topics (only the brokers); null asks for every topic. */
export async function fetchMetadata(
  broker: string,
  topics: readonly string[] | null,
  timeoutMs = 5_000,
): Promise<ClusterMetadata> {
  const body = new Writer();
  if (topics === null) body.int32(-1);
  else body.array(topics, (t) => body.string(t));
  const r = await request(broker, API_METADATA, 1, body.toBuffer(), timeoutMs);
  const brokers = r.array(() => {
    const nodeId = r.int32();
    const host = r.string();
    const port = r.int32();
    r.nullableString(); // rack
    return { nodeId, host, port };
  });
  const controllerId = r.int32();
  const topicList = r.array(() => {
    const errorCode = r.int16();
    const name = r.string();
    r.int8(); // is_internal
    const partitions = r.array(() => {
      const partitionError = r.int16();
      const index = r.int32();
      const leader = r.int32();
      r.array(() => r.int32()); // replicas
      r.array(() => r.int32()); // in-sync replicas
      return { index, errorCode: partitionError, leader };
    });
    return { name, errorCode, partitions };
  });
  return { brokers, controllerId, topics: topicList };
}

export interface TopicSpec {
  name: string;
  partitions: number;
  /** Topic-level configs, e.g. { 'retention.ms': '60000' }. */
  configs?: Record<string, string>;
}

export interface CreateTopicResult {
  name: string;
  errorCode: number;
  errorMessage: string | null;
}

/** CreateTopics v4 with replication factor 1. Answers one result per topic; errors are not thrown here. */
export async function sendCreateTopics(
  broker: string,
  topics: readonly TopicSpec[],
  timeoutMs = 10_000,
): Promise<CreateTopicResult[]> {
  const body = new Writer();
  body.array(topics, (topic) => {
    body.string(topic.name).int32(topic.partitions).int16(1);
    body.array([], () => undefined); // manual assignments: none
    body.array(Object.entries(topic.configs ?? {}), ([name, value]) => body.string(name).string(value));
  });
  body.int32(timeoutMs).int8(0); // timeout_ms, validate_only = false
  const r = await request(broker, API_CREATE_TOPICS, 4, body.toBuffer(), timeoutMs + 5_000);
  r.int32(); // throttle_time_ms
  return r.array(() => ({ name: r.string(), errorCode: r.int16(), errorMessage: r.nullableString() }));
}
