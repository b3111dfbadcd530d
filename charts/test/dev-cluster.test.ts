import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { metadataValue, named, ofKind, type DaprComponent, type Manifest, type Service } from './support/manifests';
import { allTopics, Components, deadLetterTopicOf } from './support/system';
import {
  devClusterDir,
  ensureTools,
  problems,
  readYamlFiles,
  renderChart,
  TOOL_INSTALL_TIMEOUT_MS,
  validateManifests,
  type Tools,
} from './support/tools';

/**
 * No package of the registries this project reaches ships Strimzi's CRD schemas, so the Strimzi resources are
 * checked against the rules below (what the dev setup relies on), and the built-in kinds against Kubernetes.
 */
const STRIMZI_API = 'kafka.strimzi.io/v1beta2';
const KAFKA_TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

interface KafkaTopic extends Manifest {
  spec: { topicName?: string; partitions: number; replicas: number; config?: Record<string, unknown> };
}

interface KafkaNodePool extends Manifest {
  spec: { replicas: number; roles: string[]; storage: { type: string } };
}

interface Kafka extends Manifest {
  spec: {
    kafka: {
      listeners: { name: string; port: number; type: string; tls: boolean }[];
      config?: Record<string, unknown>;
    };
    entityOperator?: { topicOperator?: object };
  };
}

const manifestFiles = () =>
  readdirSync(devClusterDir)
    .filter((file) => /^\d\d-.*\.yaml$/.test(file))
    .map((file) => join(devClusterDir, file));

const topicName = (topic: KafkaTopic) => topic.spec.topicName ?? topic.metadata.name;

describe('k8s/ dev cluster manifests', () => {
  let tools: Tools;
  let objects: Manifest[];

  beforeAll(() => {
    tools = ensureTools();
    objects = readYamlFiles(tools, manifestFiles());
  }, TOOL_INSTALL_TIMEOUT_MS);

  it('when validated, then every built-in object is valid for Kubernetes and only Strimzi kinds lack a schema', () => {
    const results = validateManifests(tools, manifestFiles(), []);

    const withoutSchema = results.filter((result) => result.status === 'no-schema');
    expect(problems(results.filter((result) => result.status !== 'no-schema'))).toEqual([]);
    expect([...new Set(withoutSchema.map((result) => result.apiVersion))]).toEqual([STRIMZI_API]);
    expect(results.filter((result) => result.status === 'ok').map((result) => result.kind)).toEqual(
      expect.arrayContaining(['Namespace', 'Secret', 'Deployment', 'Service']),
    );
  });

  it('when every contract topic is looked up, then it and its dead-letter topic have a KafkaTopic', () => {
    const declared = ofKind<KafkaTopic>(objects, 'KafkaTopic').map(topicName);

    for (const topic of allTopics) {
      expect(declared).toContain(topic);
      expect(declared).toContain(deadLetterTopicOf(topic));
    }
  });

  it('when the chart names topics, then each of them and its dead-letter topic has a KafkaTopic', () => {
    const declared = ofKind<KafkaTopic>(objects, 'KafkaTopic').map(topicName);
    const pubsub = named(ofKind<DaprComponent>(renderChart(tools).objects, 'Component'), Components.pubsub);
    const scoped = String(metadataValue(pubsub, 'publishingScopes'))
      .split(';')
      .flatMap((entry) => entry.split('=')[1]?.split(',') ?? [])
      .filter(Boolean);

    expect(scoped.length).toBeGreaterThan(0);
    for (const topic of scoped) expect(declared).toContain(topic);
  });

  it('when the Strimzi resources are read, then they form one KRaft cluster that can hold every topic', () => {
    const [kafka, ...otherClusters] = ofKind<Kafka>(objects, 'Kafka');
    const pools = ofKind<KafkaNodePool>(objects, 'KafkaNodePool');
    const brokers = pools
      .filter((pool) => pool.spec.roles.includes('broker'))
      .reduce((sum, pool) => sum + pool.spec.replicas, 0);

    expect(otherClusters).toEqual([]);
    expect(kafka.apiVersion).toBe(STRIMZI_API);
    expect(kafka.metadata.annotations).toMatchObject({
      'strimzi.io/kraft': 'enabled',
      'strimzi.io/node-pools': 'enabled',
    });
    expect(kafka.spec.entityOperator?.topicOperator).toBeDefined();
    expect(pools.flatMap((pool) => pool.spec.roles).sort()).toEqual(['broker', 'controller']);
    for (const pool of pools) {
      expect(pool.apiVersion).toBe(STRIMZI_API);
      expect(pool.metadata.labels?.['strimzi.io/cluster']).toBe(kafka.metadata.name);
    }
    for (const topic of ofKind<KafkaTopic>(objects, 'KafkaTopic')) {
      const retention = Number(topic.spec.config?.['retention.ms']);

      expect(topic.apiVersion).toBe(STRIMZI_API);
      expect(topic.metadata.labels?.['strimzi.io/cluster']).toBe(kafka.metadata.name);
      expect(topicName(topic)).toMatch(KAFKA_TOPIC_NAME);
      expect(Number.isInteger(topic.spec.partitions) && topic.spec.partitions >= 1).toBe(true);
      expect(Number.isInteger(topic.spec.replicas) && topic.spec.replicas >= 1).toBe(true);
      expect(topic.spec.replicas).toBeLessThanOrEqual(brokers);
      expect(Number.isInteger(retention) && retention > 0).toBe(true);
    }
  });

  it('when the chart runs with its defaults, then its Kafka brokers, PostgreSQL and Redis match the dev cluster', () => {
    const [kafka] = ofKind<Kafka>(objects, 'Kafka');
    const plain = kafka.spec.kafka.listeners.find((listener) => !listener.tls);
    const rendered = renderChart(tools).objects;
    const components = ofKind<DaprComponent>(rendered, 'Component');
    const gatewayConfig = named(ofKind<Manifest>(rendered, 'ConfigMap'), 'sitter-gateway');
    const postgresService = named(ofKind<Service>(objects, 'Service'), 'postgres');
    const postgresSecret = named(ofKind<Manifest>(objects, 'Secret'), 'postgres-state');
    const connection = named(components, Components.stateStore).spec.metadata.find(
      (entry) => entry.name === 'connectionString',
    );
    const connectionString = postgresSecret.stringData?.[connection?.secretKeyRef?.key ?? ''] ?? '';
    const redisService = named(ofKind<Service>(objects, 'Service'), 'redis');

    expect(metadataValue(named(components, Components.pubsub), 'brokers')).toBe(
      `${kafka.metadata.name}-kafka-bootstrap:${plain?.port}`,
    );
    expect(named(components, Components.stateStore).spec.type).toBe('state.postgresql');
    expect(connection?.secretKeyRef?.name).toBe(postgresSecret.metadata.name);
    expect(connectionString).toContain(`host=${postgresService.metadata.name} `);
    expect(connectionString).toContain(`port=${postgresService.spec.ports[0].port} `);
    expect(connectionString).toContain(`password=${postgresSecret.stringData?.password} `);
    expect(gatewayConfig.data?.RATE_LIMIT_REDIS_HOST).toBe(
      `${redisService.metadata.name}:${redisService.spec.ports[0].port}`,
    );
  });

  it('when the chart runs on state.redis, then its state store and lock store reach the dev Redis with its password', () => {
    const components = ofKind<DaprComponent>(
      renderChart(tools, { set: { 'dapr.stateStore.type': 'redis' } }).objects,
      'Component',
    );
    const redisService = named(ofKind<Service>(objects, 'Service'), 'redis');
    const redisSecret = named(ofKind<Manifest>(objects, 'Secret'), 'redis-auth');
    const password = named(components, Components.stateStore).spec.metadata.find(
      (entry) => entry.name === 'redisPassword',
    );

    expect(metadataValue(named(components, Components.stateStore), 'redisHost')).toBe(
      `${redisService.metadata.name}:${redisService.spec.ports[0].port}`,
    );
    expect(metadataValue(named(components, Components.lockStore), 'redisHost')).toBe(
      `${redisService.metadata.name}:${redisService.spec.ports[0].port}`,
    );
    expect(Object.keys(redisSecret.stringData ?? {})).toContain(password?.secretKeyRef?.key);
    expect(password?.secretKeyRef?.name).toBe(redisSecret.metadata.name);
  });

  it('when Dapr is installed with k8s/dapr-values.yaml, then mTLS is on for access control', () => {
    const [daprValues] = readYamlFiles<{ global: { mtls: { enabled: boolean } } }>(tools, [
      join(devClusterDir, 'dapr-values.yaml'),
    ]);

    expect(daprValues.global.mtls.enabled).toBe(true);
  });
});
