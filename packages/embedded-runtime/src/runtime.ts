import type { DispatchFunc } from 'light-my-request';
import type { Invoker, Publisher, StateStore, Subscriber } from '@sitter/ports';
import type { Logger } from '@sitter/platform';
import { EmbeddedBroker, defaultRetryPolicy, type RetryPolicy } from './broker';
import { EmbeddedInvoker } from './invoker';
import { EmbeddedStateStore } from './state-store';

export interface EmbeddedRuntimeOptions {
  logger: Logger;
  /** Where state and undelivered messages persist; in memory only when absent. */
  dataDir?: string;
  retry?: RetryPolicy;
}

/** What one app gets from its (embedded) sidecar. */
export interface Sidecar {
  store: StateStore;
  publisher: Publisher;
  subscriber: Subscriber;
  invoker: Invoker;
}

/**
 * Everything Dapr would provide to a set of apps, in one process: a state store per app
 * (no app can read another's), one broker, and service invocation between registered apps.
 */
export class EmbeddedRuntime {
  readonly broker: EmbeddedBroker;
  readonly invoker = new EmbeddedInvoker();
  private readonly stores = new Map<string, EmbeddedStateStore>();

  constructor(readonly options: EmbeddedRuntimeOptions) {
    this.broker = new EmbeddedBroker(options.logger, options.retry ?? defaultRetryPolicy);
  }

  async sidecar(appId: string): Promise<Sidecar> {
    return {
      store: await this.stateStore(appId),
      publisher: this.broker.publisherFor(appId),
      subscriber: this.broker.subscriberFor(appId),
      invoker: this.invoker,
    };
  }

  async stateStore(appId: string): Promise<EmbeddedStateStore> {
    let store = this.stores.get(appId);
    if (!store) {
      store = new EmbeddedStateStore();
      this.stores.set(appId, store);
    }
    return store;
  }

  /** Makes an app reachable by service invocation under its app id. */
  register(appId: string, handler: DispatchFunc): void {
    this.invoker.register(appId, handler);
  }

  async stop(): Promise<void> {
    await this.broker.stop();
  }
}
