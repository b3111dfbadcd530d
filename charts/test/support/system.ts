import { AppIds, Components, Topics, type AppId } from '@sitter/contracts';

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
  [Components.pubsub]: [AppIds.job, AppIds.booking],
};

export const defaultPorts: Record<AppId, number> = {
  [AppIds.gateway]: 4000,
  [AppIds.user]: 3001,
  [AppIds.job]: 3002,
  [AppIds.booking]: 3003,
  [AppIds.decliner]: 3004,
};

export { AppIds, Components, Topics };
