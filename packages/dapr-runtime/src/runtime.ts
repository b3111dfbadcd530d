import { Components } from '@sitter/contracts';
import type { Invoker, Publisher, StateStore } from '@sitter/ports';
import type { Logger, Readiness } from '@sitter/platform';
import { DaprInvoker } from './invoker';
import { DaprPublisher } from './publisher';
import { SidecarConnection, type SidecarAddress } from './sidecar-connection';
import { KeyLocks, LockedStateStore } from './locked-writes';
import { DaprStateStore } from './state-store';
import { SidecarError, failureFromResponse } from './sidecar-errors';
import { DaprSubscriber, type DaprSubscriberOptions, type LoadedSubscription } from './subscriber';

export interface DaprSidecarOptions extends SidecarAddress {
  logger: Logger;
  /** Component names; the contracts' names by default. */
  stateStoreName?: string;
  /**
   * The lock store through which every state write locks its keys (Components.lockStore by default), or `null`
   * for a state store whose own transactions roll back as a whole (state.sqlite, state.postgresql): state.redis
   * needs the locks, see LockedStateStore.
   */
  stateLockStore?: string | null;
  pubsubName?: string;
  subscriptionDeclaration?: DaprSubscriberOptions['declaration'];
}

/** What one app gets from its Dapr sidecar: the same ports as the embedded runtime's Sidecar. */
export interface DaprSidecar {
  readonly appId: string;
  store: StateStore;
  publisher: Publisher;
  /** Mount `subscriber.router` on the app: daprd reads the subscriptions and delivers messages through it. */
  subscriber: DaprSubscriber;
  invoker: Invoker;
  /** For /readyz: true while the sidecar's components are ready (`/v1.0/healthz/outbound`). */
  readiness: Readiness;
  /** Resolves once the sidecar answers ready, or fails after timeoutMs. */
  waitUntilReady(timeoutMs?: number): Promise<void>;
  /**
   * With declarative subscriptions, once the app has subscribed and the sidecar is ready: fails, naming each
   * difference, unless the sidecar loaded a Subscription for every topic the app handles, with the same route and
   * dead-letter topic. Otherwise messages would go nowhere, or to a route the app does not serve, with no error.
   */
  checkSubscriptions(): Promise<void>;
}

const loadedSubscriptions = async (connection: SidecarConnection): Promise<LoadedSubscription[]> => {
  const response = await connection.request('/v1.0/metadata');
  if (!response.ok) throw new SidecarError('read metadata', await failureFromResponse(response));
  const metadata = (await response.json()) as { subscriptions?: LoadedSubscription[] };
  return metadata.subscriptions ?? [];
};

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The sidecar's own readiness, without the app: its APIs are up and its components initialised. (`/v1.0/healthz`
 * also waits for the app's port, which is the app itself while it starts.)
 */
export const sidecarIsReady = async (connection: SidecarConnection): Promise<boolean> => {
  try {
    const response = await connection.request('/v1.0/healthz/outbound', { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
};

/** The ports of app `appId`, served by the daprd sidecar at `options.daprHttpPort`. */
export const daprSidecar = (appId: string, options: DaprSidecarOptions): DaprSidecar => {
  const connection = new SidecarConnection(options);
  const store = new DaprStateStore(connection, options.stateStoreName);
  const lockStoreName = options.stateLockStore === undefined ? Components.lockStore : options.stateLockStore;
  const subscriber = new DaprSubscriber(options.logger, {
    pubsubName: options.pubsubName,
    declaration: options.subscriptionDeclaration,
  });
  return {
    appId,
    store:
      lockStoreName === null
        ? store
        : new LockedStateStore(store, new KeyLocks(connection, options.logger, { lockStoreName })),
    publisher: new DaprPublisher(connection, options.pubsubName),
    subscriber,
    invoker: new DaprInvoker(connection),
    readiness: { check: () => sidecarIsReady(connection) },
    async waitUntilReady(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (!(await sidecarIsReady(connection))) {
        if (Date.now() > deadline) {
          throw new Error(`the Dapr sidecar of ${appId} at ${connection.baseUrl} is not ready after ${timeoutMs} ms`);
        }
        await delay(200);
      }
    },
    async checkSubscriptions() {
      const problems = subscriber.mismatches(await loadedSubscriptions(connection));
      if (problems.length > 0) {
        throw new Error(
          `the Dapr sidecar of ${appId} does not deliver what the app subscribes to: ${problems.join('; ')} ` +
            "(see dapr-components/subscriptions.yaml, or the chart's topics)",
        );
      }
    },
  };
};
