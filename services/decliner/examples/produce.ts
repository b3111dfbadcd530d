/**
 * Produces one decline request as a partner would. See services/decliner/README.md.
 *
 *   KAFKA_BROKERS=127.0.0.1:9092 JOB_ID=<job id> APPLICATION_ID=<application id> \
 *     npx tsx services/decliner/examples/produce.ts
 *
 * Optional: DECLINES_TOPIC (job-applications.declines), REASON, SOURCE.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, type ICustomPartitioner } from 'kafkajs';

/**
 * Sitter's own producers (Dapr's Kafka pub/sub) place a key by its FNV-1a hash. Producing with the
 * same rule puts your messages for a job in the same partition as Sitter's, so they stay in order.
 */
const fnv1aPartitioner: ICustomPartitioner =
  () =>
  ({ message, partitionMetadata }) => {
    let hash = 0x811c9dc5;
    for (const byte of Buffer.from(String(message.key), 'utf8')) hash = Math.imul(hash ^ byte, 0x01000193);
    return Math.abs((hash | 0) % partitionMetadata.length);
  };

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name}`);
  return value;
};

const main = async (): Promise<void> => {
  const jobId = required('JOB_ID');
  const request = {
    version: 1,
    applicationId: required('APPLICATION_ID'),
    jobId,
    reason: process.env.REASON ?? 'background check failed',
    source: process.env.SOURCE ?? 'acme-agency',
    requestedAt: new Date().toISOString(),
  };
  const topic = process.env.DECLINES_TOPIC ?? 'job-applications.declines';
  const requestId = randomUUID();

  const kafka = new Kafka({
    clientId: 'acme-agency',
    brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
  });
  const producer = kafka.producer({ createPartitioner: fnv1aPartitioner });
  await producer.connect();
  try {
    const [sent] = await producer.send({
      topic,
      messages: [{ key: jobId, value: JSON.stringify(request), headers: { 'x-request-id': requestId } }],
    });
    process.stdout.write(
      `sent to ${topic} partition ${sent.partition} offset ${sent.baseOffset}, x-request-id ${requestId}\n`,
    );
  } finally {
    await producer.disconnect();
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
