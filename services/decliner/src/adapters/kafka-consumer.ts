import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { Headers } from '@sitter/contracts';
import { systemClock, type Clock } from '@sitter/ports';
import { acceptedRequestId, describe, runWithRequestId, type Logger } from '@sitter/platform';
import { declineWithRetries, readDeclineRequest, type DeclinerDomain, type RetryPolicy } from '../domain';
import { deadLetterOf, headerText, type DeadLetterReason } from './dead-letters';
import { createProducer } from './kafka-client';
import type { DeclinerMetrics } from './metrics';
import { recordOutcome } from './outcomes';

export interface KafkaConsumerSettings {
  groupId: string;
  topic: string;
  deadLetterTopic: string;
  retry: RetryPolicy;
  /** The broker drops a member it has not heard from for this long. */
  sessionTimeoutMs: number;
  /** How often the member says it is alive, also while a message waits for its next attempt. */
  heartbeatIntervalMs: number;
  /** How long a rebalance waits for members to re-join. */
  rebalanceTimeoutMs: number;
  /** Partitions handled side by side; one partition's messages are always handled one after another. */
  partitionsConsumedConcurrently: number;
  /** Longest a fetch waits for new messages (also bounds how long stopping waits for the fetch under way). */
  maxWaitTimeMs: number;
}

export interface KafkaDeclineConsumerDeps {
  kafka: Kafka;
  domain: DeclinerDomain;
  logger: Logger;
  metrics: DeclinerMetrics;
  settings: KafkaConsumerSettings;
  clock?: Clock;
  /** kafkajs gave up and will not restart the consumer: the process should exit so it is restarted. */
  onFatal?: (error: Error) => void;
}

/** Thrown out of a wait between attempts when the consumer is stopping. */
class Abandoned extends Error {}

type Handled = 'handled' | 'abandoned';

/**
 * Consumes decline requests from Kafka, at least once:
 * - one partition's messages are handled in order (a job's messages share a partition: key = jobId);
 * - each message's offset is committed as soon as it is handled, never before, so a crash replays
 *   only what was not finished, and a failing message never replays the ones before it;
 * - a transient failure is retried in place with backoff, heartbeating meanwhile, then dead-lettered;
 *   an unreadable message or an unknown application is dead-lettered at once;
 * - stop() stops fetching, finishes the message under way, commits, and leaves the group.
 */
export class KafkaDeclineConsumer {
  private readonly consumer: Consumer;
  private readonly producer: Producer;
  private readonly stopping = new AbortController();
  private readonly clock: Clock;
  /** Joined its group once and neither stopped nor crashed since: a rebalance keeps it ready (see isReady). */
  private joined = false;
  private stopped?: Promise<void>;

  constructor(private readonly deps: KafkaDeclineConsumerDeps) {
    const { settings } = deps;
    this.clock = deps.clock ?? systemClock;
    this.producer = createProducer(deps.kafka);
    this.consumer = deps.kafka.consumer({
      groupId: settings.groupId,
      sessionTimeout: settings.sessionTimeoutMs,
      heartbeatInterval: settings.heartbeatIntervalMs,
      rebalanceTimeout: settings.rebalanceTimeoutMs,
      maxWaitTimeInMs: settings.maxWaitTimeMs,
      allowAutoTopicCreation: false,
    });
    this.watchMembership();
  }

  /** Connects, joins the group and starts consuming; rejects when the broker or topic is missing. */
  async start(): Promise<void> {
    const { settings } = this.deps;
    await this.producer.connect();
    await this.consumer.connect();
    // A new group starts at the oldest message: nothing published before the first deploy is lost.
    await this.consumer.subscribe({ topics: [settings.topic], fromBeginning: true });
    await this.consumer.run({
      autoCommit: true,
      // Commit each handled offset at once rather than per batch or per interval.
      autoCommitThreshold: 1,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: settings.partitionsConsumedConcurrently,
      eachBatch: (payload) => this.consumeBatch(payload),
    });
  }

  /**
   * True once the consumer has joined its group, until it stops or crashes. A rebalance does not count: every
   * member of the group goes through it at once (a new replica, a rolling update), and marking them all NotReady
   * together would take every replica out of service for what is a normal, short pause in consumption.
   */
  isReady(): boolean {
    return this.joined && !this.stopping.signal.aborted;
  }

  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping.abort();
      this.deps.logger.info('decliner stopping: finishing the message under way, then leaving the group');
      // disconnect() stops fetching, waits for the batch handlers, commits what they resolved and leaves the group.
      await this.consumer.disconnect();
      await this.producer.disconnect();
      this.joined = false;
      this.deps.logger.info('decliner stopped');
    })();
    return this.stopped;
  }

  private watchMembership(): void {
    const { consumer } = this;
    const { logger, metrics } = this.deps;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.joined = true;
      metrics.lag.reset();
      logger.info('joined the consumer group', {
        groupId: payload.groupId,
        memberId: payload.memberId,
        assignment: payload.memberAssignment,
      });
    });
    consumer.on(consumer.events.STOP, () => {
      this.joined = false;
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.joined = false;
      logger.error('kafka consumer crashed', { error: payload.error.message, restarting: payload.restart });
      if (!payload.restart) this.deps.onFatal?.(payload.error);
    });
  }

  private async consumeBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale } = payload;
    for (const message of batch.messages) {
      if (!isRunning() || isStale() || this.stopping.signal.aborted) break;
      const result = await this.handle(batch.topic, batch.partition, message, heartbeat);
      if (result === 'abandoned') break;
      resolveOffset(message.offset);
      await commitOffsetsIfNecessary();
      const behind = Number(batch.highWatermark) - Number(message.offset) - 1;
      this.deps.metrics.lag.set({ topic: batch.topic, partition: String(batch.partition) }, Math.max(0, behind));
      await heartbeat();
    }
  }

  private handle(
    topic: string,
    partition: number,
    message: KafkaMessage,
    heartbeat: () => Promise<void>,
  ): Promise<Handled> {
    const requestId = acceptedRequestId(headerText(message.headers, Headers.requestId));
    return runWithRequestId(requestId, async () => {
      const { logger, domain, metrics, settings } = this.deps;
      const where = { topic, partition, offset: message.offset, key: message.key?.toString('utf8') };
      logger.info('decline request received', where);
      const read = readDeclineRequest(message.value);
      if (!read.ok) {
        await this.deadLetter({ topic, partition, message }, read.kind, read.problem, 1, where);
        return 'handled';
      }
      const { request } = read;
      const details = { ...where, applicationId: request.applicationId, jobId: request.jobId, source: request.source };
      let result;
      try {
        result = await declineWithRetries(domain, request, settings.retry, {
          wait: (ms) => this.pause(ms, heartbeat),
          onRetry: (attempt, error, delayMs) => {
            metrics.retried.inc();
            logger.warn('decline failed, will retry', { ...details, attempt, delayMs, error });
          },
        });
      } catch (error) {
        if (!(error instanceof Abandoned)) throw error;
        logger.info('stopping: the decline is left uncommitted and will be delivered again', details);
        return 'abandoned';
      }
      const { outcome, attempts } = result;
      if (outcome.kind === 'transient' || outcome.kind === 'unknown' || outcome.kind === 'invalid') {
        const reason: DeadLetterReason = outcome.kind === 'transient' ? 'exhausted' : outcome.kind;
        await this.deadLetter({ topic, partition, message }, reason, outcome.detail, attempts, details);
        return 'handled';
      }
      recordOutcome(logger, metrics, outcome, { ...details, attempts });
      return 'handled';
    });
  }

  /** Waits between attempts in slices, heartbeating after each, so a long backoff never costs the membership. */
  private async pause(ms: number, heartbeat: () => Promise<void>): Promise<void> {
    const until = Date.now() + ms;
    for (let left = ms; left > 0; left = until - Date.now()) {
      try {
        await sleep(Math.min(left, this.deps.settings.heartbeatIntervalMs), undefined, {
          signal: this.stopping.signal,
        });
      } catch {
        throw new Abandoned('stopping');
      }
      await heartbeat();
    }
  }

  private async deadLetter(
    origin: { topic: string; partition: number; message: KafkaMessage },
    reason: DeadLetterReason,
    error: string,
    attempts: number,
    details: Record<string, unknown>,
  ): Promise<void> {
    const { logger, metrics, settings } = this.deps;
    try {
      await this.producer.send({
        topic: settings.deadLetterTopic,
        messages: [deadLetterOf(origin, { reason, error, attempts, at: this.clock.now() })],
      });
    } catch (sendError) {
      // Not committed either: the message comes again once the dead-letter topic takes writes.
      logger.error('could not dead-letter the message', { ...details, reason, error: describe(sendError).message });
      throw sendError;
    }
    metrics.deadLettered.inc({ reason });
    metrics.processed.inc({ outcome: 'dead_lettered' });
    logger.warn('message dead-lettered', {
      ...details,
      reason,
      error,
      attempts,
      deadLetterTopic: settings.deadLetterTopic,
    });
  }
}
