import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { Components, type DeclineRequest } from '@sitter/contracts';
import { saramaCompatiblePartitioner } from '@sitter/decliner';

/** One application to decline, of one job. */
export interface Application {
  jobId: string;
  applicationId: string;
}

/** The request the booking service writes for an application it declines. */
export const declineRequestOf = ({ jobId, applicationId }: Application): DeclineRequest => ({
  version: 1,
  applicationId,
  jobId,
  reason: 'another nanny was booked',
  source: 'booking',
  requestedAt: '2031-06-30T18:00:00Z',
});

/** Records per bulk save through the sidecar, messages per produce request. */
const SEED_CHUNK = 500;
const PRODUCE_CHUNK = 2_000;

/**
 * `perJob` PENDING applications for each job, written straight into the job service's state through its sidecar's
 * bulk save (as the job service stores them: `application:<id>`, and the job's `applications-by-job:<jobId>` index),
 * each by a nanny of its own. Applying through the API would take minutes per 100,000 on this machine.
 */
export const seedApplications = async (
  jobSidecarUrl: string,
  jobIds: readonly string[],
  perJob: number,
): Promise<Application[]> => {
  const now = new Date().toISOString();
  const applications: Application[] = [];
  const records: { key: string; value: unknown }[] = [];
  for (const jobId of jobIds) {
    const entries: { applicationId: string; nanny: string }[] = [];
    for (let i = 0; i < perJob; i++) {
      const applicationId = randomUUID();
      const nanny = `bench-nanny-${applicationId.slice(0, 8)}`;
      entries.push({ applicationId, nanny });
      applications.push({ jobId, applicationId });
      records.push({
        key: `application:${applicationId}`,
        value: { id: applicationId, jobId, nanny, status: 'PENDING', createdOn: now, updatedOn: now },
      });
    }
    records.push({ key: `applications-by-job:${jobId}`, value: { entries } });
  }
  const url = `${jobSidecarUrl}/v1.0/state/${Components.stateStore}`;
  const chunks = Array.from({ length: Math.ceil(records.length / SEED_CHUNK) }, (_, i) =>
    records.slice(i * SEED_CHUNK, (i + 1) * SEED_CHUNK),
  );
  await inParallel(chunks, 4, async (chunk) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(chunk),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`bulk save answered ${response.status}: ${text}`);
  });
  return applications;
};

/** Runs `work` on every item, `concurrency` at a time. */
export const inParallel = async <T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> => {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
};

export const benchKafka = (brokers: string): Kafka =>
  new Kafka({ clientId: `bench-${randomUUID().slice(0, 8)}`, brokers: brokers.split(','), logLevel: logLevel.NOTHING });

/**
 * A decline request per application, in the given order, keyed by job id and placed by Dapr's partitioner, as the
 * booking service and partners write them (services/decliner/README.md). Resolves with the seconds it took.
 */
export const produceDeclines = async (kafka: Kafka, topic: string, applications: readonly Application[]) => {
  const producer = kafka.producer({ createPartitioner: saramaCompatiblePartitioner, maxInFlightRequests: 1 });
  await producer.connect();
  const started = performance.now();
  try {
    for (let i = 0; i < applications.length; i += PRODUCE_CHUNK) {
      await producer.send({
        topic,
        messages: applications.slice(i, i + PRODUCE_CHUNK).map((application) => ({
          key: application.jobId,
          value: JSON.stringify(declineRequestOf(application)),
          headers: { 'x-request-id': randomUUID() },
        })),
      });
    }
  } finally {
    await producer.disconnect();
  }
  return (performance.now() - started) / 1000;
};

/** Messages of `topic` the group has not committed yet (a partition it never committed counts from its start). */
export const groupLag = async (admin: Admin, groupId: string, topic: string): Promise<number> => {
  const ends = await admin.fetchTopicOffsets(topic);
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const byPartition = new Map(committed?.partitions.map(({ partition, offset }) => [partition, Number(offset)]));
  return ends.reduce((lag, { partition, offset, low }) => {
    const done = Math.max(byPartition.get(partition) ?? -1, Number(low));
    return lag + Math.max(0, Number(offset) - done);
  }, 0);
};

/** How a drain went, in seconds from when the watch began. */
export interface Drain {
  /** When the group first committed anything (the consumer started and joined). */
  firstProgress: number;
  /** When its lag reached 0. */
  done: number;
  /** The highest lag seen. */
  peakLag: number;
  /** Declines per second over each quarter of the backlog, from the first commit: does it slow down as it goes? */
  quarterRates: number[];
}

/** The rate over each quarter of the backlog, from the polls' [seconds, lag] (the first poll saw the whole backlog). */
const quarterRates = (polls: readonly [number, number][], backlog: number, from: number): number[] => {
  const reached = (lag: number) => polls.find(([, seen]) => seen <= lag)?.[0] ?? NaN;
  const marks = [from, reached(backlog * 0.75), reached(backlog * 0.5), reached(backlog * 0.25), reached(0)];
  return marks.slice(1).map((at, i) => Math.round(backlog / 4 / Math.max(at - marks[i]!, 0.001)));
};

/**
 * Polls what is left every `everyMs` until it is 0. Lag 0 counts only once `settled()` says the messages are all
 * written (a burst being produced while it is watched).
 */
export const watchDrain = async (
  /** What is left to handle: a group's lag (groupLag), or a count kept by the consumer. */
  remaining: () => Promise<number>,
  options: { everyMs?: number; timeoutMs: number; settled?: () => boolean },
): Promise<Drain> => {
  const settled = options.settled ?? (() => true);
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  let first: number | undefined;
  let peakLag = 0;
  const polls: [number, number][] = [];
  for (;;) {
    // Read before the poll: a burst written while the poll runs must not count as worked off.
    const allWritten = settled();
    const lag = await remaining();
    polls.push([seconds(), lag]);
    if (first === undefined && lag < peakLag) first = seconds();
    peakLag = Math.max(peakLag, lag);
    if (lag === 0 && allWritten) {
      const firstProgress = first ?? seconds();
      return { firstProgress, done: seconds(), peakLag, quarterRates: quarterRates(polls, peakLag, firstProgress) };
    }
    if (performance.now() - started > options.timeoutMs) {
      throw new Error(`still ${lag} to handle after ${options.timeoutMs} ms`);
    }
    await sleep(options.everyMs ?? 200);
  }
};
