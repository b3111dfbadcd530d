import type { Invoker, Publisher, StateStore } from '@sitter/ports';
import type { Logger, Readiness } from '@sitter/platform';
import { DaprInvoker } from './invoker';
import { DaprPublisher } from './publisher';
import { SidecarConnection, type SidecarAddress } from './sidecar-connection';
import { DaprStateStore } from './state-store';
import { DaprSubscriber, type DaprSubscriberOptions } from './subscriber';

export interface DaprSidecarOptions extends SidecarAddress {
  logger: Logger;
  /** Component names; the contracts' names by default. */
  stateStoreName?: string;
  pubsubName?: string;
  subscriptionRoutePrefix?: DaprSubscriberOptions['routePrefix'];
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
}

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
  const connection = new SidecarConnection(options, options.logger);
  return {
    appId,
    store: new DaprStateStore(connection, options.stateStoreName),
    publisher: new DaprPublisher(connection, options.pubsubName),
    subscriber: new DaprSubscriber(options.logger, {
      pubsubName: options.pubsubName,
      routePrefix: options.subscriptionRoutePrefix,
    }),
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
  };
};
