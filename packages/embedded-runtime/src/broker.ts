import { randomUUID } from 'node:crypto';
import {
  defaultDeadLetterTopic,
  type MessageHandler,
  type PublishOptions,
  type Publisher,
  type SubscribeOptions,
  type Subscriber,
} from '@sitter/ports';
import { currentRequestId, runWithRequestId, type Logger } from '@sitter/platform';

export interface BrokerMessage {
  id: string;
  topic: string;
  data: unknown;
  partitionKey?: string;
  requestId?: string;
  publishedAt: string;
}

export interface RetryPolicy {
  /** Deliveries before a message is dead-lettered. */
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5, initialBackoffMs: 200, maxBackoffMs: 5_000 };

interface Subscription {
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
 */
export class EmbeddedBroker {
  private readonly subscriptions: Subscription[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly logger: Logger,
    private readonly retry: RetryPolicy = defaultRetryPolicy,
  ) {}

  publisherFor(appId: string): Publisher {
    return {
      publish: async <T>(topic: string, data: T, options: PublishOptions = {}) => {
        this.publish(appId, topic, data, options);
      },
    };
  }

  subscriberFor(appId: string): Subscriber {
    return {
      subscribe: <T>(topic: string, handler: MessageHandler<T>, options: SubscribeOptions = {}) => {
        this.subscriptions.push({
          appId,
          topic,
          handler: handler as MessageHandler<unknown>,
          deadLetterTopic: options.deadLetterTopic ?? defaultDeadLetterTopic(topic),
          chains: new Map(),
        });
      },
    };
  }

  publish(source: string, topic: string, data: unknown, options: PublishOptions = {}): BrokerMessage {
    if (this.stopped) throw new Error('broker is stopped');
    const message: BrokerMessage = {
      id: randomUUID(),
      topic,
      data: JSON.parse(JSON.stringify(data)),
      partitionKey: options.partitionKey,
      requestId: currentRequestId(),
      publishedAt: new Date().toISOString(),
    };
    this.logger.debug('message published', { topic, messageId: message.id, source });
    this.dispatch(message);
    return message;
  }

  /** Resolves when every delivery under way (retries included) has finished. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.drain();
  }

  protected dispatch(message: BrokerMessage): void {
    for (const subscription of this.subscriptions.filter((candidate) => candidate.topic === message.topic)) {
      const key = message.partitionKey ?? message.id;
      const previous = subscription.chains.get(key) ?? Promise.resolve();
      const delivery = previous.then(() => this.deliver(subscription, message));
      subscription.chains.set(key, delivery);
      this.track(delivery);
      void delivery.then(() => {
        if (subscription.chains.get(key) === delivery) subscription.chains.delete(key);
      });
    }
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async deliver(subscription: Subscription, message: BrokerMessage): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await runWithRequestId(message.requestId, () =>
          subscription.handler({ id: message.id, topic: message.topic, data: message.data, attempt }),
        );
        return;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (attempt >= this.retry.maxAttempts) {
          this.logger.warn('message dead-lettered', {
            topic: message.topic,
            messageId: message.id,
            appId: subscription.appId,
            attempts: attempt,
            reason,
            requestId: message.requestId,
          });
          this.dispatch({ ...message, id: randomUUID(), topic: subscription.deadLetterTopic });
          return;
        }
        this.logger.info('message delivery failed, will retry', {
          topic: message.topic,
          messageId: message.id,
          appId: subscription.appId,
          attempt,
          reason,
          requestId: message.requestId,
        });
        await delay(Math.min(this.retry.initialBackoffMs * 2 ** (attempt - 1), this.retry.maxBackoffMs));
      }
    }
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
