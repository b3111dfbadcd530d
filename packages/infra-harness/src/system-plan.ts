/**
 * What the system's Dapr resources say, as data: the topics (who publishes, who subscribes, partitions, dead
 * letters), the apps that keep state or are invoked, the subscriptions and the resiliency policy. dapr-resources.ts
 * writes them as YAML; startKafka's callers create systemTopics from here.
 */
import {
  AppIds,
  LiveTopics,
  PartnerTopics,
  Topics,
  type LiveTopic,
  type PartnerTopic,
  type Topic,
} from '@sitter/contracts';
import type { TopicSpec } from './kafka-admin';

/** Environment variables the components read their addresses from (Dapr `envRef`), set per sidecar. */
export const DaprResourceEnv = {
  redisHost: 'SITTER_REDIS_HOST',
  postgresConnectionString: 'SITTER_POSTGRES_CONNECTION_STRING',
  kafkaBrokers: 'SITTER_KAFKA_BROKERS',
} as const;

/** Apps that keep state. One component serves them all; keyPrefix "appid" keeps each app to its own keys. */
export const stateStoreApps: readonly string[] = [AppIds.user, AppIds.job, AppIds.booking];

/** Dead-letter topics are named after their topic; messages whose delivery retries run out go there. */
export const deadLetterTopic = (topic: string): string => `${topic}.dlq`;

export interface TopicPlan {
  partitions: number;
  /** Apps that publish to the topic. */
  publishers: readonly string[];
  /** Apps that consume it; their sidecars also publish to its dead-letter topic. */
  subscribers: readonly string[];
}

/**
 * Every topic of the system, its partition count, and who may use it (Kafka publishing/subscriptionScopes). Keyed by
 * the contract types, so a topic added to the contracts does not type-check until it is planned here.
 */
export const topicPlan: Readonly<Record<Topic | PartnerTopic | LiveTopic, TopicPlan>> = {
  // Consumed straight from Kafka by the decliner (kafkajs), not through a Dapr subscription.
  [Topics.applicationDeclines]: { partitions: 6, publishers: [AppIds.booking], subscribers: [] },
  // Published for the payment partner's own consumer; no app of the system subscribes.
  [PartnerTopics.paymentRequests]: { partitions: 6, publishers: [AppIds.booking], subscribers: [] },
  // Published by the payment partner from outside the system.
  [Topics.paymentResults]: { partitions: 6, publishers: [], subscribers: [AppIds.booking] },
  [Topics.bookingEvents]: { partitions: 6, publishers: [AppIds.booking], subscribers: [AppIds.booking] },
  // Every committed change; each gateway replica reads it straight from Kafka (kafkajs), a consumer group of its own.
  [LiveTopics.domainEvents]: {
    partitions: 6,
    publishers: [AppIds.user, AppIds.job, AppIds.booking],
    subscribers: [],
  },
};

/** The topics to create, dead-letter topics (one partition) included. */
export const systemTopics: readonly TopicSpec[] = Object.entries(topicPlan).flatMap(([name, plan]) => [
  { name, partitions: plan.partitions },
  { name: deadLetterTopic(name), partitions: 1 },
]);

/** Where the state store component keeps its data. */
export type StateStoreBackend =
  /**
   * Dapr's state.redis at SITTER_REDIS_HOST, as in the Kubernetes chart. Its transactions do not roll back when a
   * condition fails, so the adapters lock every write's keys through the lock store (LockedStateStore).
   */
  | { type: 'redis' }
  /**
   * Dapr's state.sqlite: transactions that roll back as a whole when a condition fails, and first-write
   * concurrency that refuses every existing key, with no lock store needed (SITTER_STATE_LOCK_STORE=none). In
   * `databaseFile`, a test's own.
   */
  | { type: 'sqlite'; databaseFile: string }
  /**
   * Dapr's state.postgresql (v2) at SITTER_POSTGRES_CONNECTION_STRING: each transaction is one PostgreSQL
   * transaction, rolled back as a whole when a condition fails; first-write without an ETag inserts only (an
   * existing key is refused). No lock store needed (SITTER_STATE_LOCK_STORE=none).
   */
  | {
      type: 'postgresql';
      /** Connections daprd pools to PostgreSQL (the component's default: the greater of 4 and the CPU count). */
      maxConns?: number;
    };

/**
 * The connections each sidecar pools to PostgreSQL for state.postgresql. A transaction holds one for its round
 * trips and its commit; the component's default (the greater of 4 and the CPU count) kept 8 writers through one
 * sidecar waiting for a connection (docs/performance.md). Three state apps × replicas × this must stay under the
 * server's max_connections (100 by default).
 */
export const systemPostgresMaxConns = 8;

/**
 * The state store of resources rendered without one named (`writeDaprResources`, `npm run infra:smoke`): Redis, with
 * its lock store. dapr-components/ and `npm run dev:dapr` default to state.postgresql (renderSelfHostedResources).
 */
export const systemStateStore: StateStoreBackend = { type: 'redis' };

/** A declarative Subscription: `app` receives `topic` on its subscription route, dead-lettering what fails. */
export interface SubscriptionPlan {
  app: string;
  topic: string;
}

/** The system's subscriptions: one per topic and subscribing app of topicPlan. */
export const systemSubscriptions: readonly SubscriptionPlan[] = Object.entries(topicPlan).flatMap(([topic, plan]) =>
  plan.subscribers.map((app) => ({ app, topic })),
);

export type ComponentName = 'stateStore' | 'lockStore' | 'pubsub';

export const ALL_COMPONENTS: readonly ComponentName[] = ['stateStore', 'lockStore', 'pubsub'];

/** How daprd retries, times out and breaks calls, per building block (a Dapr Resiliency resource). */
export interface ResiliencyPlan {
  /** Deliveries of one message to the app before it goes to its dead-letter topic (the first one included). */
  deliveryAttempts: number;
  /** The wait between deliveries: exponential (from 0.5 s, ×1.5, jittered) up to a maximum, or constant. */
  deliveryBackoff: { policy: 'exponential'; maxInterval: string } | { policy: 'constant'; duration: string };
  /** How long the app may take for one delivery before it counts as failed (and is retried). */
  deliveryTimeout: string;
  /**
   * Consecutive failed state calls that open the state store's circuit. daprd counts a refused write condition
   * (ETag mismatch, first-write on an existing key) as a failure, so this must stay well above the conflicts a
   * burst of racing writers produces, or a booking race would cut every app off its state.
   */
  stateBreakerTrip: number;
}

/** The system's plan: a poison message is redelivered for about 25 s (blocking its partition), then dead-lettered. */
export const systemResiliency: ResiliencyPlan = {
  deliveryAttempts: 9,
  deliveryBackoff: { policy: 'exponential', maxInterval: '30s' },
  deliveryTimeout: '30s',
  stateBreakerTrip: 100,
};

/** Apps that other apps invoke: the gateway calls the services, booking calls job. */
export const invokedApps: readonly string[] = [AppIds.user, AppIds.job, AppIds.booking];
