import type { Kafka } from 'kafkajs';
import { AppIds, type DeclineRequest } from '@sitter/contracts';

/** What the job service answered, by HTTP status. */
export type Answers = Record<string, number>;

/**
 * The decliner's HTTP call and nothing else: POST /applications/:id/decline, invoked on the job app through the
 * sidecar at `sidecarUrl`; counts the answers.
 */
export const sidecarDecliner = (sidecarUrl: string) => {
  const invoke = `${sidecarUrl}/v1.0/invoke/${AppIds.job}/method/applications`;
  const answers: Answers = {};
  const decline = async ({ applicationId, jobId, reason, source, requestedAt }: DeclineRequest) => {
    const response = await fetch(`${invoke}/${encodeURIComponent(applicationId)}/decline`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jobId, reason, source, requestedAt }),
    });
    await response.arrayBuffer();
    answers[response.status] = (answers[response.status] ?? 0) + 1;
  };
  return { decline, answers };
};

export interface BareConsumer {
  answers: Answers;
  /** Requests handled so far, each once however often it was delivered (answers counts every delivery). */
  handled(): number;
  stop(): Promise<void>;
}

/**
 * The baseline for the decliner: a kafkajs consumer that makes the decliner's HTTP call for each message, with
 * kafkajs's default commits (after each batch) and no schema check, retries, dead letters, logging or metrics.
 * Partitions side by side as the decliner's `partitionsConcurrently`.
 */
export const startBareConsumer = async (
  kafka: Kafka,
  options: { groupId: string; topic: string; sidecarUrl: string; partitionsConcurrently: number },
): Promise<BareConsumer> => {
  const { decline, answers } = sidecarDecliner(options.sidecarUrl);
  // Requests, not answers: after a rebalance kafkajs hands a batch it had not committed over again.
  const handledIds = new Set<string>();
  const consumer = kafka.consumer({ groupId: options.groupId, maxWaitTimeInMs: 1_000 });
  await consumer.connect();
  await consumer.subscribe({ topics: [options.topic], fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: options.partitionsConcurrently,
    eachMessage: async ({ message }) => {
      const request = JSON.parse(message.value!.toString()) as DeclineRequest;
      await decline(request);
      handledIds.add(request.applicationId);
    },
  });
  const handled = () => handledIds.size;
  return { answers, handled, stop: () => consumer.disconnect() };
};
