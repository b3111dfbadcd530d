export { startRedis, pingRedis, type RedisServer, type StartRedisOptions } from './redis';
export { startPostgres, postgresAnswers, type PostgresServer, type StartPostgresOptions } from './postgres';
export { startKafka, type KafkaBroker, type StartKafkaOptions } from './kafka';
export { brokerAnswers, createTopics, describeTopics, type TopicLayout, type TopicSpec } from './kafka-admin';
export { startDaprd, type Daprd, type StartDaprdOptions } from './daprd';
export { startKubeControlPlane, type KubeControlPlane, type StartKubeOptions } from './kube';
export {
  DaprResourceEnv,
  systemResiliency,
  invokedApps,
  type ResiliencyPlan,
  type StateStoreBackend,
  type ComponentName,
  stateStoreApps,
  systemStateStore,
  systemPostgresMaxConns,
  systemSubscriptions,
  type SubscriptionPlan,
  deadLetterTopic,
  systemTopics,
  topicPlan,
  type TopicPlan,
} from './system-plan';
export {
  renderDaprConfiguration,
  renderDaprResources,
  renderResiliency,
  renderSelfHostedResources,
  selfHostedStateFolders,
  systemNameResolutionFile,
  writeDaprResources,
  type DaprResourceOptions,
} from './dapr-resources';
export {
  freePort,
  freePorts,
  launch,
  makeTempDir,
  StartupError,
  waitUntilReady,
  type LaunchOptions,
  type ManagedProcess,
} from './processes';
export {
  describeWithInfra,
  infraSkipReason,
  locateTool,
  MissingToolError,
  REPO_ROOT,
  SETUP_COMMAND,
  type ToolName,
} from './tools';
