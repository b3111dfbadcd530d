/**
 * The Dapr resources of a self-hosted run, rendered from the names in @sitter/contracts so that the adapters and
 * dapr-components/ cannot drift apart. `npm run infra:components` writes them to dapr-components/; a test checks
 * that the committed files equal what this renders.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  AppIds,
  Components,
  PartnerTopics,
  Topics,
  subscriptionRoute,
  type PartnerTopic,
  type Topic,
} from '@sitter/contracts';
import type { TopicSpec } from './kafka-protocol';

/** Environment variables the components read their addresses from (Dapr `envRef`), set per sidecar. */
export const DaprResourceEnv = {
  redisHost: 'SITTER_REDIS_HOST',
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
export const topicPlan: Readonly<Record<Topic | PartnerTopic, TopicPlan>> = {
  // Consumed straight from Kafka by the decliner (kafkajs), not through a Dapr subscription.
  [Topics.applicationDeclines]: { partitions: 6, publishers: [AppIds.booking], subscribers: [] },
  // Published for the payment partner's own consumer; no app of the system subscribes.
  [PartnerTopics.paymentRequests]: { partitions: 6, publishers: [AppIds.booking], subscribers: [] },
  // Published by the payment partner from outside the system.
  [Topics.paymentResults]: { partitions: 6, publishers: [], subscribers: [AppIds.booking] },
  [Topics.bookingEvents]: { partitions: 6, publishers: [AppIds.booking], subscribers: [AppIds.booking] },
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
  | { type: 'sqlite'; databaseFile: string };

/** What self-hosted runs (dapr-components/, `npm run dev:dapr`) keep state in: Redis, as in Kubernetes. */
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

const ALL_COMPONENTS: readonly ComponentName[] = ['stateStore', 'lockStore', 'pubsub'];

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
  /**
   * Consecutive failed calls from one sidecar to one app that open that circuit. daprd counts every answer outside
   * 2xx/3xx as a failure, refusals included (409 on a taken username, 404, 403), so this too must stay well above
   * what a burst of racing callers produces, or one race would cut a caller off a healthy app for 30 s.
   */
  invokeBreakerTrip: number;
}

/** The system's plan: a poison message is redelivered for about 25 s (blocking its partition), then dead-lettered. */
export const systemResiliency: ResiliencyPlan = {
  deliveryAttempts: 9,
  deliveryBackoff: { policy: 'exponential', maxInterval: '30s' },
  deliveryTimeout: '30s',
  stateBreakerTrip: 100,
  invokeBreakerTrip: 100,
};

export interface DaprResourceOptions {
  /**
   * Scope the components and resiliency to exactly these app ids, with no per-topic restrictions: for tests that
   * run their own app ids and unique topics. Without it, the scopes are the system's (stateStoreApps, topicPlan).
   */
  apps?: readonly string[];
  /**
   * The components to write; all three by default. daprd exits when a component cannot initialise, so a sidecar
   * that has no Kafka (or no Redis) to reach must leave that component out.
   */
  components?: readonly ComponentName[];
  /**
   * Declarative Subscriptions to write: the system's by default (with pubsub), none when `apps` is given (tests
   * whose apps declare their subscriptions themselves, on GET /dapr/subscribe).
   */
  subscriptions?: readonly SubscriptionPlan[];
  /** systemStateStore (state.redis at SITTER_REDIS_HOST) by default. */
  stateStore?: StateStoreBackend;
  /** Overrides of the system's resiliency plan, e.g. fewer and faster delivery attempts in tests. */
  resiliency?: Partial<ResiliencyPlan>;
}

const GENERATED_NOTE =
  '# Generated by `npm run infra:components` from packages/contracts: edit the generator, not this file.';

/** A YAML single-quoted scalar (as Prettier writes them): quotes inside are doubled. */
const yamlQuoted = (value: string): string => `'${value.replace(/'/g, "''")}'`;

function yamlList(items: readonly string[], indent: string): string {
  return items.map((item) => `${indent}- ${item}`).join('\n');
}

/** "app1=topicA,topicB;app2=topicC": what each app may publish, or subscribe to. */
function topicScopes(role: 'publish' | 'subscribe'): string {
  const byApp = new Map<string, string[]>();
  const allow = (app: string, topic: string) => byApp.set(app, [...(byApp.get(app) ?? []), topic]);
  for (const [topic, plan] of Object.entries(topicPlan)) {
    if (role === 'publish') {
      plan.publishers.forEach((app) => allow(app, topic));
      plan.subscribers.forEach((app) => allow(app, deadLetterTopic(topic)));
    } else {
      plan.subscribers.forEach((app) => allow(app, topic));
    }
  }
  return [...byApp].map(([app, topics]) => `${app}=${topics.join(',')}`).join(';');
}

/** Entries on the following lines, or `{}` when there are none. */
function yamlBlock(entries: readonly string[]): string {
  return entries.length > 0 ? `\n${entries.join('\n')}` : ' {}';
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}

/** The Redis of the state and lock stores, at each sidecar's SITTER_REDIS_HOST. */
const REDIS_CONNECTION = `    - name: redisHost
      envRef: ${DaprResourceEnv.redisHost}
    - name: enableTLS
      value: 'false'`;

function stateStoreSpec(backend: StateStoreBackend): string {
  if (backend.type === 'sqlite') {
    return `  type: state.sqlite
  version: v1
  initTimeout: 10s
  metadata:
    - name: connectionString
      value: ${JSON.stringify(`file:${backend.databaseFile}`)}
    # Racing writers wait for the file's write lock instead of failing at once.
    - name: busyTimeout
      value: 5s
    # Each app's keys are prefixed with its app id: no app can read another's state.
    - name: keyPrefix
      value: appid`;
  }
  return `  type: state.redis
  version: v1
  initTimeout: 10s
  metadata:
${REDIS_CONNECTION}
    # Each app's keys are prefixed with its app id: no app can read another's state.
    - name: keyPrefix
      value: appid
    - name: actorStateStore
      value: 'false'`;
}

/** A Component for the apps that keep state (or a test's own apps). */
const stateAppsComponent = (options: DaprResourceOptions, name: string, spec: string): string => `${GENERATED_NOTE}
apiVersion: dapr.io/v1alpha1
kind: Component
metadata:
  name: ${name}
spec:
${spec}
scopes:
${yamlList(options.apps ?? stateStoreApps, '  ')}
`;

export function renderStateStore(options: DaprResourceOptions = {}): string {
  return stateAppsComponent(options, Components.stateStore, stateStoreSpec(options.stateStore ?? systemStateStore));
}

/** Dapr's lock.redis on the state store's Redis: LockedStateStore locks the keys of every write through it. */
export function renderLockStore(options: DaprResourceOptions = {}): string {
  return stateAppsComponent(
    options,
    Components.lockStore,
    `  type: lock.redis
  version: v1
  initTimeout: 10s
  metadata:
${REDIS_CONNECTION}`,
  );
}

/**
 * One Subscription per topic and app, each with its dead-letter topic. The app serves the route (DaprSubscriber in
 * declarative mode) and checks at start-up that its sidecar loaded a subscription for every topic it handles.
 */
export function renderSubscriptions(subscriptions: readonly SubscriptionPlan[]): string {
  const documents = subscriptions.map(
    ({ app, topic }) => `apiVersion: dapr.io/v2alpha1
kind: Subscription
metadata:
  name: ${`${app}-${topic}`.replace(/[^a-z0-9-]/g, '-')}
spec:
  pubsubname: ${Components.pubsub}
  topic: ${topic}
  routes:
    default: ${subscriptionRoute(topic)}
  deadLetterTopic: ${deadLetterTopic(topic)}
scopes:
  - ${app}
`,
  );
  return `${GENERATED_NOTE}\n${documents.join('---\n')}`;
}

export function renderPubsub(options: DaprResourceOptions = {}): string {
  const scopes =
    options.apps ?? unique(Object.values(topicPlan).flatMap((plan) => [...plan.publishers, ...plan.subscribers]));
  const restrictions = options.apps
    ? ''
    : `    # Topic-level least privilege: each app publishes and subscribes only to its own topics.
    - name: publishingScopes
      value: '${topicScopes('publish')}'
    - name: subscriptionScopes
      value: '${topicScopes('subscribe')}'
`;
  return `${GENERATED_NOTE}
apiVersion: dapr.io/v1alpha1
kind: Component
metadata:
  name: ${Components.pubsub}
spec:
  type: pubsub.kafka
  version: v1
  initTimeout: 30s
  metadata:
    - name: brokers
      envRef: ${DaprResourceEnv.kafkaBrokers}
    - name: authType
      value: none
    - name: disableTls
      value: 'true'
    # One consumer group per app: every app gets its own copy of a topic's messages.
    - name: consumerGroup
      value: '{appID}'
    - name: clientID
      value: '{appID}'
    - name: initialOffset
      value: oldest
${restrictions}scopes:
${yamlList(scopes, '  ')}
`;
}

/** Apps that other apps invoke: the gateway calls the services, booking calls job. */
export const invokedApps: readonly string[] = [AppIds.user, AppIds.job, AppIds.booking];

/** Every app with a sidecar in the system. */
const systemApps = (): string[] =>
  unique([
    AppIds.gateway,
    ...stateStoreApps,
    ...invokedApps,
    ...Object.values(topicPlan).flatMap((plan) => [...plan.publishers, ...plan.subscribers]),
  ]);

function deliveryRetry(plan: ResiliencyPlan): string {
  const backoff =
    plan.deliveryBackoff.policy === 'constant'
      ? `policy: constant
        duration: ${plan.deliveryBackoff.duration}`
      : `policy: exponential
        maxInterval: ${plan.deliveryBackoff.maxInterval}`;
  return `      # Redelivery to the app; when the retries run out, the message goes to the subscription's dead-letter topic.
      delivery:
        ${backoff}
        maxRetries: ${plan.deliveryAttempts - 1}`;
}

export function renderResiliency(options: DaprResourceOptions = {}): string {
  const plan: ResiliencyPlan = { ...systemResiliency, ...options.resiliency };
  if (!Number.isInteger(plan.deliveryAttempts) || plan.deliveryAttempts < 1) {
    throw new Error(`deliveryAttempts must be a whole number of at least 1, not ${plan.deliveryAttempts}`);
  }
  const apps = options.apps ?? invokedApps;
  const scopes = options.apps ?? systemApps();
  const components = options.components ?? ALL_COMPONENTS;
  const componentTargets: string[] = [];
  if (components.includes('stateStore')) {
    componentTargets.push(`      ${Components.stateStore}:
        # No retries: daprd retries a transaction whose condition failed as if the store had failed; callers
        # already retry on a conflict, with fresh ETags.
        outbound:
          timeout: state
          circuitBreaker: state`);
  }
  if (components.includes('pubsub')) {
    componentTargets.push(`      ${Components.pubsub}:
        outbound:
          timeout: publish
          retry: publish
        # No circuit breaker on delivery: an open circuit fails every delivery at once, and daprd then sends
        # healthy messages to the dead-letter topic.
        inbound:
          timeout: delivery
          retry: delivery`);
  }
  return `${GENERATED_NOTE}
apiVersion: dapr.io/v1alpha1
kind: Resiliency
metadata:
  name: sitter-resiliency
spec:
  policies:
    timeouts:
      invoke: 5s
      state: 5s
      publish: 5s
      delivery: ${plan.deliveryTimeout}
    retries:
      # Service invocation: only 503 (a dependency not ready yet) and connection errors; POSTs are not idempotent.
      invoke:
        policy: exponential
        maxInterval: 2s
        maxRetries: 3
        matching:
          httpStatusCodes: '503'
      publish:
        policy: exponential
        maxInterval: 5s
        maxRetries: 5
${deliveryRetry(plan)}
    circuitBreakers:
      # daprd counts refusals (4xx answers) as failures too: only long runs of failures open these circuits.
      invoke:
        maxRequests: 1
        interval: 30s
        timeout: 30s
        trip: consecutiveFailures >= ${plan.invokeBreakerTrip}
      state:
        maxRequests: 1
        interval: 30s
        timeout: 10s
        trip: consecutiveFailures >= ${plan.stateBreakerTrip}
  targets:
    # Service invocation, applied by the calling sidecar to calls to these apps.
    apps:${yamlBlock(apps.map((app) => `      ${app}:\n        timeout: invoke\n        retry: invoke\n        circuitBreaker: invoke`))}
    components:${yamlBlock(componentTargets)}
scopes:
${yamlList(scopes, '  ')}
`;
}

/** File name → content, for dapr-components/ (or a test's own folder). */
export function renderDaprResources(options: DaprResourceOptions = {}): Map<string, string> {
  const components = options.components ?? ALL_COMPONENTS;
  const subscriptions =
    options.subscriptions ?? (options.apps || !components.includes('pubsub') ? [] : systemSubscriptions);
  const files = new Map<string, string>();
  if (components.includes('stateStore')) files.set('statestore.yaml', renderStateStore(options));
  if (components.includes('lockStore')) files.set('lockstore.yaml', renderLockStore(options));
  if (components.includes('pubsub')) files.set('pubsub.yaml', renderPubsub(options));
  if (subscriptions.length > 0) {
    files.set('subscriptions.yaml', renderSubscriptions(subscriptions));
  }
  // Test sidecars get a Configuration of their own from startDaprd (their name-resolution file is the test's).
  if (!options.apps) {
    files.set('configuration.yaml', renderDaprConfiguration({ nameResolutionFile: systemNameResolutionFile }));
  }
  files.set('resiliency.yaml', renderResiliency(options));
  return files;
}

export function writeDaprResources(dir: string, options: DaprResourceOptions = {}): string {
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of renderDaprResources(options)) writeFileSync(path.join(dir, file), content);
  return dir;
}

export interface DaprConfigurationOptions {
  /**
   * The sqlite file through which sidecars find each other for service invocation (no mDNS multicast). Sidecars
   * that call each other must share it. A relative path is relative to daprd's working directory.
   */
  nameResolutionFile: string;
  /** Tracing sampling rate, "0" (off) to "1". */
  samplingRate?: string;
}

/**
 * The name-resolution file of dapr-components/configuration.yaml: relative, so each run's sidecars share the one in
 * the working directory their launcher gives them (`npm run dev:dapr`: a temporary folder of the run).
 */
export const systemNameResolutionFile = 'dapr-names.db';

/** A self-hosted Configuration: sqlite name resolution, tracing off unless asked, metrics on. */
export function renderDaprConfiguration(options: DaprConfigurationOptions): string {
  return `${GENERATED_NOTE}
# daprd reads it from --config. Tracing: set samplingRate to "1" and add an exporter (spec.tracing.zipkin or otel).
apiVersion: dapr.io/v1alpha1
kind: Configuration
metadata:
  name: sitter-local
spec:
  nameResolution:
    component: sqlite
    configuration:
      connectionString: ${yamlQuoted(options.nameResolutionFile)}
  tracing:
    samplingRate: ${yamlQuoted(options.samplingRate ?? '0')}
  metrics:
    enabled: true
`;
}
