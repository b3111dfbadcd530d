/**
 * `npm run decliner:replay -- [--application ID] [--job ID] [--reason REASON] [--dry-run]`
 * Moves dead-lettered decline requests back to the main topic and prints what it did.
 * Reads KAFKA_BROKERS, DECLINES_TOPIC and DECLINES_DLQ_TOPIC like the decliner.
 */
import { parseArgs } from 'node:util';
import { createLogger } from '@sitter/platform';
import { createKafkaClient } from './adapters/kafka-client';
import { replayDeadLetters, type ReplayFilter } from './adapters/kafka-replay';
import { loadDeclinerConfig } from './config';

const REASONS = ['malformed', 'invalid', 'unknown', 'exhausted'];

const usage = `usage: npm run decliner:replay -- [--application ID] [--job ID] [--reason ${REASONS.join('|')}] [--dry-run]
Without a filter every dead letter is moved back.`;

const print = (line: string) => process.stdout.write(`${line}\n`);

const run = async (): Promise<void> => {
  const { values } = parseArgs({
    options: {
      application: { type: 'string' },
      job: { type: 'string' },
      reason: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    print(usage);
    return;
  }
  if (values.reason !== undefined && !REASONS.includes(values.reason)) {
    throw new Error(`--reason must be one of ${REASONS.join(', ')}\n${usage}`);
  }
  const filter: ReplayFilter = { applicationId: values.application, jobId: values.job, reason: values.reason };
  const config = loadDeclinerConfig();
  const { topic, deadLetterTopic } = config.consumer;
  const logger = createLogger('decliner-replay', process.env.LOG_LEVEL ?? 'warn');
  const kafka = createKafkaClient({
    brokers: config.brokers,
    clientId: `${config.clientId}-replay`,
    tls: config.tls,
    sasl: config.sasl,
    logger,
  });
  const described =
    Object.entries(filter)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => `${name}=${value}`)
      .join(', ') || 'none (all)';
  const counts = await replayDeadLetters({ kafka, deadLetterTopic, topic, filter, dryRun: values['dry-run'] });
  print(`replay ${deadLetterTopic} -> ${topic}${values['dry-run'] ? ' (dry run)' : ''}, filter: ${described}`);
  print(`  dead letters:  ${counts.deadLetters}`);
  print(`  moved before:  ${counts.movedBefore}`);
  print(`  matching:      ${counts.matched}`);
  print(`  moved now:     ${counts.moved}`);
  print(`  left:          ${counts.left}`);
};

run().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
