import { AppIds, Components, Topics, type AppId, type Topic } from '@sitter/contracts';
import { DaprSubscriber, type DaprSubscription } from '@sitter/dapr-runtime';
import { createLogger } from '@sitter/platform';

/**
 * The architecture the chart must wire, stated once. Names come from packages/contracts; who calls whom and
 * who uses which component is the design (docs/internal-api.md), which the rendered chart must match.
 */

export const allTopics: string[] = Object.values(Topics);

/** The dead-letter topic of a topic. */
export const deadLetterTopicOf = (topic: string): string => `${topic}.dlq`;

export const allAppIds: AppId[] = Object.values(AppIds);

/** Who may invoke each app through Dapr service invocation. */
export const expectedCallers: Record<AppId, AppId[]> = {
  [AppIds.gateway]: [],
  [AppIds.user]: [AppIds.gateway, AppIds.job],
  [AppIds.job]: [AppIds.gateway, AppIds.booking, AppIds.decliner],
  [AppIds.booking]: [AppIds.gateway],
  [AppIds.decliner]: [],
};

/** The apps that load each Dapr component. */
export const expectedComponentUsers: Record<string, AppId[]> = {
  [Components.stateStore]: [AppIds.user, AppIds.job, AppIds.booking],
  [Components.lockStore]: [AppIds.user, AppIds.job, AppIds.booking],
  [Components.pubsub]: [AppIds.booking],
};

/** The topics each app consumes through Dapr pub/sub (a Subscription delivering to the app). */
export const expectedDaprSubscriptions: Record<AppId, Topic[]> = {
  [AppIds.gateway]: [],
  [AppIds.user]: [],
  [AppIds.job]: [],
  [AppIds.booking]: [Topics.paymentResults, Topics.bookingEvents],
  [AppIds.decliner]: [],
};

/** Topics read straight from Kafka (kafkajs, a consumer group of their own), and by whom. */
export const expectedKafkaConsumers: Partial<Record<Topic, AppId[]>> = {
  [Topics.applicationDeclines]: [AppIds.decliner],
};

/**
 * What an app serves for its Dapr subscriptions, as its real Dapr subscriber declares them: the route
 * daprd must deliver to and the dead-letter topic. An app serves no other event route.
 */
export const servedSubscriptions = (appId: AppId): DaprSubscription[] => {
  const subscriber = new DaprSubscriber(createLogger('chart-test', 'silent'));
  for (const topic of expectedDaprSubscriptions[appId]) subscriber.subscribe(topic, () => Promise.resolve());
  return subscriber.subscriptions();
};

export const defaultPorts: Record<AppId, number> = {
  [AppIds.gateway]: 4000,
  [AppIds.user]: 3001,
  [AppIds.job]: 3002,
  [AppIds.booking]: 3003,
  [AppIds.decliner]: 3004,
};

export { AppIds, Components, Topics };
