import { InvokedJobApplications } from './adapters/job-applications';
import type { RequestListener } from 'node:http';
import { Topics } from '@sitter/contracts';
import { defaultDeadLetterTopic, type Clock, type Invoker, type Publisher, type Subscriber } from '@sitter/ports';
import type { Logger } from '@sitter/platform';
import type { DeclinerDomain } from './domain';
import { embeddedDeclineHandler } from './adapters/embedded-subscription';
import { declinerHttp } from './adapters/http';
import { createKafkaClient } from './adapters/kafka-client';
import { KafkaDeclineConsumer } from './adapters/kafka-consumer';
import { declinerMetrics, type DeclinerMetrics } from './adapters/metrics';
import type { DeclinerConfig } from './config';

export interface DeclinerAppDeps {
  subscriber: Subscriber;
  publisher: Publisher;
  invoker: Invoker;
  logger: Logger;
}

/**
 * The decliner on the embedded bus (`npm start`, no Kafka): it subscribes to decline requests and
 * answers `/healthz`, `/readyz` and `/metrics`. Register it like any other app of the runtime.
 */
export const createDeclinerApp = (deps: DeclinerAppDeps): RequestListener => {
  const metrics = declinerMetrics();
  const domain: DeclinerDomain = { applications: new InvokedJobApplications(deps.invoker) };
  deps.subscriber.subscribe(
    Topics.applicationDeclines,
    embeddedDeclineHandler({
      domain,
      publisher: deps.publisher,
      logger: deps.logger,
      metrics,
      deadLetterTopic: defaultDeadLetterTopic(Topics.applicationDeclines),
    }),
  );
  return declinerHttp(deps.logger, metrics.registry, { check: () => true });
};

export interface KafkaDeclinerDeps {
  config: DeclinerConfig;
  invoker: Invoker;
  logger: Logger;
  clock?: Clock;
  onFatal?: (error: Error) => void;
}

export interface KafkaDecliner {
  /** `/healthz`, `/readyz` (ready once it has joined its consumer group), `/metrics`. */
  http: RequestListener;
  metrics: DeclinerMetrics;
  /** Joins the group and starts consuming. */
  start(): Promise<void>;
  /** Stops fetching, finishes the message under way, commits and leaves the group. */
  stop(): Promise<void>;
  isReady(): boolean;
}

/** The decliner on Kafka: the same use case, consumed with kafkajs. */
export const createKafkaDecliner = (deps: KafkaDeclinerDeps): KafkaDecliner => {
  const { config, logger } = deps;
  const metrics = declinerMetrics();
  const consumer = new KafkaDeclineConsumer({
    kafka: createKafkaClient({
      brokers: config.brokers,
      clientId: config.clientId,
      tls: config.tls,
      caFile: config.caFile,
      sasl: config.sasl,
      logger,
    }),
    domain: { applications: new InvokedJobApplications(deps.invoker) },
    logger,
    metrics,
    settings: config.consumer,
    clock: deps.clock,
    onFatal: deps.onFatal,
  });
  return {
    http: declinerHttp(logger, metrics.registry, { check: () => consumer.isReady() }),
    metrics,
    start: () => consumer.start(),
    stop: () => consumer.stop(),
    isReady: () => consumer.isReady(),
  };
};
