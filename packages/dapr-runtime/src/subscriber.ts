import express, { type Request, type Response, type Router } from 'express';
import { Components, SUBSCRIPTION_ROUTE_PREFIX, subscriptionRoute } from '@sitter/contracts';
import { defaultDeadLetterTopic, type MessageHandler, type SubscribeOptions, type Subscriber } from '@sitter/ports';
import { runWithRequestId, type Logger } from '@sitter/platform';
import { AttemptCounter } from './attempts';
import { readDelivery, type Delivery } from './delivery';

/** One entry of what the app answers on GET /dapr/subscribe (Dapr's programmatic subscriptions, v1 format). */
export interface DaprSubscription {
  pubsubname: string;
  topic: string;
  route: string;
  deadLetterTopic: string;
}

/** How the app answers a delivery; daprd redelivers on RETRY as its resiliency policy says, then dead-letters. */
export const DeliveryStatus = { success: 'SUCCESS', retry: 'RETRY' } as const;

export interface DaprSubscriberOptions {
  pubsubName?: string;
  /**
   * How daprd learns the subscriptions. 'programmatic' (the default): the app answers them on GET /dapr/subscribe,
   * for apps whose topics are their own (tests). 'declarative': Subscription resources declare them
   * (dapr-components/subscriptions.yaml, the chart's `topics`), the app answers `[]`, and `checkDeclared` compares
   * what the sidecar loaded with what the app handles.
   */
  declaration?: 'programmatic' | 'declarative';
}

/** One subscription as daprd's metadata API (`GET /v1.0/metadata`) lists it. */
export interface LoadedSubscription {
  pubsubname: string;
  topic: string;
  deadLetterTopic?: string;
  rules?: { match?: string; path: string }[];
  type?: string;
}

interface Registration {
  declaration: DaprSubscription;
  handler: MessageHandler<unknown>;
}

/** daprd posts `application/cloudevents+json`, raw payloads included. */
const parseDeliveryBody = express.json({ type: ['application/json', 'application/*+json'], limit: '4mb' });

/**
 * The Subscriber port on Dapr pub/sub. Collects the app's subscriptions, which daprd reads once at start-up from
 * `GET /dapr/subscribe`, and serves the deliveries on `POST <routePrefix>/<topic>`. Mount `router` on the app
 * (before any catch-all handler) and register every subscription before the sidecar starts.
 */
export class DaprSubscriber implements Subscriber {
  readonly router: Router = express.Router();
  private readonly registrations = new Map<string, Registration>();
  private readonly attempts = new AttemptCounter();
  private readonly pubsubName: string;
  private readonly declaration: NonNullable<DaprSubscriberOptions['declaration']>;

  constructor(
    private readonly logger: Logger,
    options: DaprSubscriberOptions = {},
  ) {
    this.pubsubName = options.pubsubName ?? Components.pubsub;
    this.declaration = options.declaration ?? 'programmatic';
    this.router.get('/dapr/subscribe', (_req, res) => {
      res.json(this.declaration === 'programmatic' ? this.subscriptions() : []);
    });
    this.router.post(`${SUBSCRIPTION_ROUTE_PREFIX}/:topic`, parseDeliveryBody, (req, res, next) => {
      this.deliver(req, res).catch(next);
    });
  }

  subscribe<T>(topic: string, handler: MessageHandler<T>, options: SubscribeOptions = {}): void {
    // daprd keeps one subscription per topic and pub/sub component for an app.
    if (this.registrations.has(topic)) throw new Error(`topic "${topic}" already has a subscription`);
    this.registrations.set(topic, {
      declaration: {
        pubsubname: this.pubsubName,
        topic,
        route: subscriptionRoute(topic),
        deadLetterTopic: options.deadLetterTopic ?? defaultDeadLetterTopic(topic),
      },
      handler: handler as MessageHandler<unknown>,
    });
  }

  /** The subscriptions as daprd reads them. */
  subscriptions(): DaprSubscription[] {
    return [...this.registrations.values()].map((registration) => registration.declaration);
  }

  /**
   * With declarative subscriptions: what differs between the subscriptions the sidecar loaded and the topics this
   * app handles (a missing Subscription, another route or dead-letter topic), one line each; empty when they agree.
   */
  mismatches(loaded: readonly LoadedSubscription[]): string[] {
    if (this.declaration === 'programmatic') return [];
    return this.subscriptions().flatMap((wanted) => {
      const found = loaded.find((s) => s.pubsubname === wanted.pubsubname && s.topic === wanted.topic);
      if (!found) return [`no Subscription to ${wanted.topic} on ${wanted.pubsubname}`];
      const paths = (found.rules ?? []).map((rule) => rule.path);
      const problems: string[] = [];
      if (paths.length !== 1 || paths[0] !== wanted.route) {
        problems.push(
          `the Subscription to ${wanted.topic} routes to ${paths.join(', ') || 'nothing'}, not ${wanted.route}`,
        );
      }
      if (found.deadLetterTopic !== wanted.deadLetterTopic) {
        problems.push(
          `the Subscription to ${wanted.topic} dead-letters to ${found.deadLetterTopic || 'nothing'}, not ${wanted.deadLetterTopic}`,
        );
      }
      return problems;
    });
  }

  private async handle(
    topic: string,
    registration: Registration,
    delivery: Delivery,
  ): Promise<(typeof DeliveryStatus)[keyof typeof DeliveryStatus]> {
    const messageKey = `${topic}\n${delivery.id}`;
    const attempt = this.attempts.next(messageKey);
    try {
      await registration.handler({
        id: delivery.id,
        topic,
        data: delivery.data,
        attempt,
        ...(delivery.cloudEvent ? { cloudEvent: delivery.cloudEvent } : {}),
      });
      this.attempts.settle(messageKey);
      return DeliveryStatus.success;
    } catch (error) {
      this.logger.warn('message handler failed; daprd redelivers it or dead-letters it', {
        topic,
        messageId: delivery.id,
        attempt,
        error: error instanceof Error ? error.message : String(error),
      });
      return DeliveryStatus.retry;
    }
  }

  private async deliver(req: Request, res: Response): Promise<void> {
    const topic = String(req.params.topic);
    const registration = this.registrations.get(topic);
    if (!registration) {
      // daprd treats 404 as "drop": the message goes to the dead-letter topic, without retries.
      res.status(404).json({ message: `no subscription for topic "${topic}"` });
      return;
    }
    const delivery = readDelivery(req.body, req.headers);
    // The whole delivery, log lines included, runs under the publisher's request id.
    const status = await runWithRequestId(delivery.requestId, () => this.handle(topic, registration, delivery));
    res.json({ status });
  }
}
