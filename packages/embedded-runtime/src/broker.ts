import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  defaultDeadLetterTopic,
  type MessageHandler,
  type PublishOptions,
  type Publisher,
  type SubscribeOptions,
  type Subscriber,
} from '@sitter/ports';
import { currentRequestId, runWithRequestId, type Logger } from '@sitter/platform';
import type { BrokerJournal } from './broker-journal';
import { cloudEventAttributes, envelopeOf, type BrokerMessage } from './broker-message';

export type { BrokerMessage } from './broker-message';

export interface RetryPolicy {
  /** Deliveries before a message is dead-lettered. */
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5, initialBackoffMs: 200, maxBackoffMs: 5_000 };

interface Subscription {
  /** `<appId>/<topic>`: what the journal records, so it must be the same after a restart. */
  key: string;
  appId: string;
  topic: string;
  handler: MessageHandler<unknown>;
  deadLetterTopic: string;
  /** One delivery chain per partition key keeps a key's messages in order, as Kafka does. */
  chains: Map<string, Promise<void>>;
}

/**
 * The embedded message broker: at-least-once delivery to every subscription of a topic,
 * retries with exponential backoff, then the dead-letter topic. Publishing returns once
 * the message is accepted; delivery happens asynchronously, as with Dapr.
 *
 * With a journal, accepted messages survive a restart: nothing is delivered until
 * `resume()`, which first re-delivers what the previous run left unsettled, and `stop()`
 * abandons pending retries instead of waiting for them (they are re-delivered next time).
 * Without one, delivery starts at once and `stop()` waits for every retry.
 */
export class EmbeddedBroker {
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly inFlight = new Set<Promise<void>>();
  /** Messages accepted before `resume()`, released after the recovered ones. */
  private readonly held: Array<() => void> = [];
  private readonly stopping = new AbortController();
  private journal?: BrokerJournal;
  private journalOpening?: Promise<BrokerJournal>;
  private started: boolean;
  private stopped = false;

  constructor(
    private readonly logger: Logger,
    private readonly retry: RetryPolicy = defaultRetryPolicy,
    /** Opens the journal on first use; without it, messages live in memory only. */
    private readonly openJournal?: () => Promise<BrokerJournal>,
  ) {
    this.started = openJournal === undefined;
  }

  publisherFor(appId: string): Publisher {
    return {
      publish: async <T>(topic: string, data: T, options: PublishOptions = {}) => {
        await this.publish(appId, topic, data, options);
      },
    };
  }

  subscriberFor(appId: string): Subscriber {
    return {
      subscribe: <T>(topic: string, handler: MessageHandler<T>, options: SubscribeOptions = {}) => {
        const key = `${appId}/${topic}`;
        // As in Dapr, an app has one subscription per topic; the journal relies on that to name it.
        if (this.subscriptions.has(key)) throw new Error(`app "${appId}" already subscribes to topic "${topic}"`);
        this.subscriptions.set(key, {
          key,
          appId,
          topic,
          handler: handler as MessageHandler<unknown>,
          deadLetterTopic: options.deadLetterTopic ?? defaultDeadLetterTopic(topic),
          chains: new Map(),
        });
      },
    };
  }

  /** Resolves once the message is accepted (journaled, when there is a journal). */
  async publish(source: string, topic: string, data: unknown, options: PublishOptions = {}): Promise<BrokerMessage> {
    this.assertRunning();
    const message: BrokerMessage = {
      ...(options.rawPayload ? {} : cloudEventAttributes(source)),
      id: randomUUID(),
      topic,
      time: new Date().toISOString(),
      data: JSON.parse(JSON.stringify(data)),
      partitionkey: options.partitionKey,
      requestid: currentRequestId(),
    };
    // Only the first publish may wait for the journal to open; the rest accept synchronously,
    // so a message is queued by the time publish() returns its promise.
    if (this.openJournal && !this.journal) {
      await this.openedJournal();
      this.assertRunning();
    }
    this.logger.debug('message published', { topic, messageId: message.id, source });
    await this.accept(message);
    return message;
  }

  /**
   * Starts delivery: first what the previous run left unsettled (to the subscriptions that
   * had not finished with it), then what was published since. Call it once every app has
   * registered its subscriptions. A no-op without a journal, where delivery starts at once.
   */
  async resume(): Promise<void> {
    if (this.started) return;
    const journal = await this.openedJournal();
    if (this.started) return;
    for (const { message, subscriptions } of journal?.takeRecovered() ?? []) {
      for (const key of subscriptions) {
        const subscription = this.subscriptions.get(key);
        if (subscription) this.chain(subscription, message, Promise.resolve());
        else
          this.logger.warn('unsettled message has no subscription now; kept for a later start', {
            topic: message.topic,
            messageId: message.id,
            subscription: key,
          });
      }
    }
    this.started = true;
    for (const release of this.held.splice(0)) release();
  }

  /** Resolves when every delivery under way (retries included) has finished. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    await this.drain();
  }

  private assertRunning(): void {
    if (this.stopped) throw new Error('broker is stopped');
  }

  private async openedJournal(): Promise<BrokerJournal | undefined> {
    if (!this.openJournal || this.journal) return this.journal;
    this.journalOpening ??= this.openJournal();
    try {
      this.journal = await this.journalOpening;
    } catch (error) {
      this.journalOpening = undefined;
      throw error;
    }
    return this.journal;
  }

  /** Records the message and queues it for every subscription its topic has now. */
  private accept(message: BrokerMessage): Promise<void> {
    const targets = [...this.subscriptions.values()].filter((candidate) => candidate.topic === message.topic);
    const accepted =
      this.journal?.published(
        message,
        targets.map((target) => target.key),
      ) ?? Promise.resolve();
    this.enqueue(message, targets, accepted);
    return accepted;
  }

  private enqueue(message: BrokerMessage, targets: readonly Subscription[], accepted: Promise<void>): void {
    if (!this.started) {
      this.held.push(() => this.enqueue(message, targets, accepted));
      return;
    }
    for (const subscription of targets) this.chain(subscription, message, accepted);
  }

  private chain(subscription: Subscription, message: BrokerMessage, accepted: Promise<void>): void {
    const key = message.partitionkey ?? message.id;
    const previous = subscription.chains.get(key) ?? Promise.resolve();
    const delivery = previous
      .then(() => accepted)
      .then(
        () => this.deliver(subscription, message),
        // Not journaled: the publisher was told it failed, so it is not delivered either.
        () => undefined,
      );
    subscription.chains.set(key, delivery);
    this.track(delivery);
    void delivery.then(() => {
      if (subscription.chains.get(key) === delivery) subscription.chains.delete(key);
    });
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** Never rejects: a failure ends in a retry, the dead-letter topic, or (stopping) a later run. */
  private async deliver(subscription: Subscription, message: BrokerMessage): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      if (this.abandoning()) return;
      try {
        await runWithRequestId(message.requestid, () =>
          subscription.handler({
            id: message.id,
            topic: message.topic,
            data: structuredClone(message.data),
            attempt,
            cloudEvent: envelopeOf(message),
          }),
        );
        this.settle(subscription, message);
        return;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const context = { topic: message.topic, messageId: message.id, appId: subscription.appId, reason };
        if (attempt >= this.retry.maxAttempts) {
          this.logger.warn('message dead-lettered', { ...context, attempts: attempt, requestId: message.requestid });
          await this.deadLetter(subscription, message);
          return;
        }
        this.logger.info('message delivery failed, will retry', { ...context, attempt, requestId: message.requestid });
        await this.backoff(attempt);
      }
    }
  }

  private async deadLetter(subscription: Subscription, message: BrokerMessage): Promise<void> {
    const deadLetter = { ...message, id: randomUUID(), topic: subscription.deadLetterTopic };
    try {
      await this.accept(deadLetter);
    } catch (error) {
      this.logger.error('dead-lettering failed; the message stays unsettled', {
        topic: message.topic,
        messageId: message.id,
        appId: subscription.appId,
        reason: error instanceof Error ? error.message : String(error),
      });
      return;
    }
    this.settle(subscription, message);
  }

  /** Losing a settlement only means one more delivery after a restart, so nobody waits for it. */
  private settle(subscription: Subscription, message: BrokerMessage): void {
    if (!this.journal) return;
    const report = (error: unknown) =>
      this.logger.warn('could not record a settled message; it may be delivered again after a restart', {
        messageId: message.id,
        appId: subscription.appId,
        reason: error instanceof Error ? error.message : String(error),
      });
    try {
      this.journal.settled(message.id, subscription.key).catch(report);
    } catch (error) {
      report(error);
    }
  }

  private async backoff(attempt: number): Promise<void> {
    const ms = Math.min(this.retry.initialBackoffMs * 2 ** (attempt - 1), this.retry.maxBackoffMs);
    if (!this.journal) {
      await sleep(ms);
      return;
    }
    await sleep(ms, undefined, { signal: this.stopping.signal }).catch(() => undefined);
  }

  /** With a journal, stopping leaves undelivered messages to the next run instead of waiting. */
  private abandoning(): boolean {
    return this.stopped && this.journal !== undefined;
  }
}
