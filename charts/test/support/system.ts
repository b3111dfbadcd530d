import {
  AppIds,
  Components,
  LiveTopics,
  PartnerTopics,
  Topics,
  type AppId,
  type LiveTopic,
  type Topic,
} from '@sitter/contracts';
import { DaprSubscriber, type DaprSubscription } from '@sitter/dapr-runtime';
import { createLogger } from '@sitter/platform';
import { PAYMENTS_SANDBOX_APP_ID } from '@sitter/payments-sandbox';

/**
 * The architecture the chart must wire, stated once. Names come from packages/contracts; who calls whom and
 * who uses which component is the design (docs/internal-api.md), which the rendered chart must match.
 */

/** The platform's topics: the services' own and the live updates' (domain events, read by every gateway replica). */
export const allTopics: string[] = [...Object.values(Topics), ...Object.values(LiveTopics)];

/** The dead-letter topic of a topic. */
export const deadLetterTopicOf = (topic: string): string => `${topic}.dlq`;

export const allAppIds: AppId[] = Object.values(AppIds);

/** The platform's apps and the payment partner's stand-in (a chart workload in development, not a contract app). */
export type ChartAppId = AppId | typeof PAYMENTS_SANDBOX_APP_ID;
export const chartAppIds: ChartAppId[] = [...allAppIds, PAYMENTS_SANDBOX_APP_ID];
export const paymentsSandbox = PAYMENTS_SANDBOX_APP_ID;

/** Who may invoke each app through Dapr service invocation. */
export const expectedCallers: Record<ChartAppId, ChartAppId[]> = {
  [AppIds.gateway]: [],
  // The job and booking services check accounts (GET /users/:username).
  [AppIds.user]: [AppIds.gateway, AppIds.job, AppIds.booking],
  [AppIds.job]: [AppIds.gateway, AppIds.booking, AppIds.decliner],
  [AppIds.booking]: [AppIds.gateway],
  [AppIds.decliner]: [],
  [PAYMENTS_SANDBOX_APP_ID]: [],
};

/**
 * What each caller invokes on each app ("VERB /path", Dapr's "*" for one path segment): the gateway's resolvers,
 * the booking saga's steps and compensation, the job and booking services' account checks, the decliner's decline.
 */
export const expectedOperations: Partial<Record<ChartAppId, Partial<Record<ChartAppId, string[]>>>> = {
  [AppIds.user]: {
    [AppIds.gateway]: ['POST /users', 'GET /users/*', 'PATCH /users/*', 'PUT /users/*/status'],
    [AppIds.job]: ['GET /users/*'],
    [AppIds.booking]: ['GET /users/*'],
  },
  [AppIds.job]: {
    [AppIds.gateway]: [
      'POST /jobs',
      'GET /jobs',
      'GET /jobs/*',
      'POST /jobs/*/applications',
      'GET /jobs/*/applications',
      'GET /nannies/*/applications',
      'POST /jobs/queries',
      'POST /jobs/*/applications/queries',
      'GET /jobs-near',
    ],
    [AppIds.booking]: [
      'GET /jobs/*',
      'GET /jobs/*/applications',
      'POST /jobs/*/reservations',
      'DELETE /jobs/*/reservations/*',
    ],
    [AppIds.decliner]: ['POST /applications/*/decline'],
  },
  [AppIds.booking]: {
    [AppIds.gateway]: [
      'POST /bookings',
      'GET /bookings',
      'GET /bookings/*',
      'POST /bookings/*/cancellation',
      'POST /bookings/queries',
    ],
  },
};

/** The apps that load each Dapr component. */
export const expectedComponentUsers: Record<string, ChartAppId[]> = {
  [Components.stateStore]: [AppIds.user, AppIds.job, AppIds.booking, PAYMENTS_SANDBOX_APP_ID],
  [Components.lockStore]: [AppIds.user, AppIds.job, AppIds.booking, PAYMENTS_SANDBOX_APP_ID],
  // user, job and booking publish their domain events.
  [Components.pubsub]: [AppIds.user, AppIds.job, AppIds.booking, PAYMENTS_SANDBOX_APP_ID],
};

/** The topics each app consumes through Dapr pub/sub (a Subscription delivering to the app). */
export const expectedDaprSubscriptions: Record<ChartAppId, string[]> = {
  [AppIds.gateway]: [],
  [AppIds.user]: [],
  [AppIds.job]: [],
  [AppIds.booking]: [Topics.paymentResults, Topics.bookingEvents],
  [AppIds.decliner]: [],
  [PAYMENTS_SANDBOX_APP_ID]: [PartnerTopics.paymentRequests],
};

/** Topics read straight from Kafka (kafkajs, a consumer group of their own), and by whom. */
export const expectedKafkaConsumers: Partial<Record<Topic | LiveTopic, AppId[]>> = {
  [Topics.applicationDeclines]: [AppIds.decliner],
  // Each replica in a consumer group of its own, so that every replica sees every event.
  [LiveTopics.domainEvents]: [AppIds.gateway],
};

/** The apps that publish each topic through Dapr pub/sub (the chart's publishingScopes). */
export const expectedPublishers: Partial<Record<Topic | LiveTopic, ChartAppId[]>> = {
  [LiveTopics.domainEvents]: [AppIds.user, AppIds.job, AppIds.booking],
};

/**
 * What an app serves for its Dapr subscriptions, as its real Dapr subscriber declares them: the route
 * daprd must deliver to and the dead-letter topic. An app serves no other event route.
 */
export const servedSubscriptions = (appId: ChartAppId): DaprSubscription[] => {
  const subscriber = new DaprSubscriber(createLogger('chart-test', 'silent'));
  for (const topic of expectedDaprSubscriptions[appId]) subscriber.subscribe(topic, () => Promise.resolve());
  return subscriber.subscriptions();
};

export const defaultPorts: Record<ChartAppId, number> = {
  [AppIds.gateway]: 4000,
  [AppIds.user]: 3001,
  [AppIds.job]: 3002,
  [AppIds.booking]: 3003,
  [AppIds.decliner]: 3004,
  [PAYMENTS_SANDBOX_APP_ID]: 3005,
};

export { AppIds, Components, LiveTopics, Topics };
