import { join } from 'node:path';
import type { Invoker, Publisher, StateStore, Subscriber } from '@sitter/ports';
import type { Logger } from '@sitter/platform';
import type { AppendLogOptions, CompactionPolicy } from './append-log';
import { EmbeddedBroker, defaultRetryPolicy, type RetryPolicy } from './broker';
import { BrokerJournal } from './broker-journal';
import { lockDataDir, type DataDirLock } from './data-dir-lock';
import { EmbeddedInvoker, type AppHandler } from './invoker';
import { PersistentStateStore } from './persistent-state-store';
import { describeTornTail } from './torn-tail';
import { EmbeddedStateStore } from './state-store';

export interface EmbeddedRuntimeOptions {
  logger: Logger;
  /** Where state and undelivered messages persist; in memory only when absent. */
  dataDir?: string;
  retry?: RetryPolicy;
  /** fsync every journal batch, for power-loss durability (a process crash loses nothing without it). */
  fsync?: boolean;
  /** When journals are folded into snapshots; the default suits real use, tests lower it. */
  compaction?: CompactionPolicy;
}

/** What one app gets from its (embedded) sidecar. */
export interface Sidecar {
  store: StateStore;
  publisher: Publisher;
  subscriber: Subscriber;
  invoker: Invoker;
}

interface Persistence {
  lock: DataDirLock;
  brokerJournal: BrokerJournal;
}

/**
 * Everything Dapr would provide to a set of apps, in one process: a state store per app
 * (no app can read another's), one broker, and service invocation between registered apps.
 *
 * Lifecycle: build every app from `sidecar(appId)` (which registers its subscriptions), then
 * `await start()` before serving traffic, and `await stop()` on shutdown. With a `dataDir`,
 * the first call that needs the directory locks it, `start()` re-delivers the messages the
 * previous run left unsettled, and `stop()` flushes and closes every file and unlocks.
 */
export class EmbeddedRuntime {
  readonly broker: EmbeddedBroker;
  readonly invoker = new EmbeddedInvoker();
  private readonly stores = new Map<string, Promise<EmbeddedStateStore>>();
  private readonly persistentStores: PersistentStateStore[] = [];
  private persistence?: Promise<Persistence>;
  private stopping?: Promise<void>;

  constructor(readonly options: EmbeddedRuntimeOptions) {
    this.broker = new EmbeddedBroker(
      options.logger,
      options.retry ?? defaultRetryPolicy,
      options.dataDir ? async () => (await this.openPersistence()).brokerJournal : undefined,
    );
  }

  async sidecar(appId: string): Promise<Sidecar> {
    return {
      store: await this.stateStore(appId),
      publisher: this.broker.publisherFor(appId),
      subscriber: this.broker.subscriberFor(appId),
      invoker: this.invoker,
    };
  }

  /** The app's own store; with a dataDir, loaded from `<dataDir>/state/<appId>/`. */
  async stateStore(appId: string): Promise<EmbeddedStateStore> {
    this.assertNotStopped();
    let store = this.stores.get(appId);
    if (!store) {
      store = this.openStore(appId);
      this.stores.set(appId, store);
      store.catch(() => this.stores.delete(appId));
    }
    return store;
  }

  /** Makes an app reachable by service invocation under its app id. */
  register(appId: string, handler: AppHandler): void {
    this.invoker.register(appId, handler);
  }

  /**
   * Starts message delivery, re-delivering what a previous run left unsettled. Call it after
   * every app is built (so every subscription is registered) and before serving traffic.
   * Without a dataDir delivery has already started and this only does nothing.
   */
  async start(): Promise<void> {
    this.assertNotStopped();
    if (this.options.dataDir) await this.openPersistence();
    await this.broker.resume();
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutDown();
    return this.stopping;
  }

  private async shutDown(): Promise<void> {
    await this.broker.stop();
    if (!this.persistence) return;
    const persistence = await this.persistence.catch(() => undefined);
    await Promise.allSettled([...this.stores.values()]);
    const closed = await Promise.allSettled([
      ...this.persistentStores.map((store) => store.close()),
      persistence?.brokerJournal.close(),
    ]);
    await persistence?.lock.release();
    const failure = closed.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
  }

  private async openStore(appId: string): Promise<EmbeddedStateStore> {
    const dataDir = this.options.dataDir;
    if (!dataDir) return new EmbeddedStateStore();
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(appId)) throw new Error(`app id "${appId}" cannot name a directory`);
    await this.openPersistence();
    const persistent = await PersistentStateStore.open(
      join(dataDir, 'state', appId),
      this.logOptions(`state/${appId}`),
    );
    this.persistentStores.push(persistent);
    return persistent.store;
  }

  private openPersistence(): Promise<Persistence> {
    this.persistence ??= (async () => {
      const dataDir = this.options.dataDir as string;
      const lock = await lockDataDir(dataDir);
      try {
        const brokerJournal = await BrokerJournal.open(join(dataDir, 'pubsub'), this.logOptions('pubsub'));
        return { lock, brokerJournal };
      } catch (error) {
        await lock.release();
        throw error;
      }
    })();
    return this.persistence;
  }

  private logOptions(name: string): AppendLogOptions {
    return {
      fsync: this.options.fsync,
      compaction: this.options.compaction,
      onError: (error) =>
        this.options.logger.warn('journal compaction failed', { journal: name, reason: error.message }),
      onTornTail: (torn) =>
        this.options.logger.warn('journal ended in a line torn by a crash; it was never acknowledged and is dropped', {
          journal: name,
          ...describeTornTail(torn),
        }),
    };
  }

  private assertNotStopped(): void {
    if (this.stopping) throw new Error('embedded runtime is stopped');
  }
}
