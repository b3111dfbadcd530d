/**
 * `npm run infra:up`: provisions (see provision.ts), then starts one Redis and one Kafka in the background for local
 * work, creates the system's topics, and prints their addresses. Running it again while they run changes nothing.
 * `npm run infra:down` stops them.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  brokerAnswers,
  createTopics,
  DaprResourceEnv,
  pingRedis,
  startKafka,
  startRedis,
  systemTopics,
} from '@sitter/infra-harness';
import { provision } from './provision';
import { elapsed, log, step } from './progress';
import { isOurs, processMarkers, readRunState, runDir, stateFile, type RunState } from './run-state';

async function stillRunning(state: RunState): Promise<boolean> {
  const [host, port] = state.redis.address.split(':');
  const redisOk = await pingRedis(host, Number(port));
  const kafkaOk = await brokerAnswers(state.kafka.brokers);
  return redisOk && kafkaOk;
}

function printAddresses(state: RunState): void {
  log(`  Redis  ${state.redis.address}  (pid ${state.redis.pid})`);
  log(`  Kafka  ${state.kafka.brokers}  (pid ${state.kafka.pid})`);
  log('  For daprd and the dapr-components/ files (state in this Redis: --resources-path dapr-components');
  log('  --resources-path dapr-components/state-redis; state-postgresql/ needs a PostgreSQL of your own):');
  log(`    export ${DaprResourceEnv.redisHost}=${state.redis.address}`);
  log(`    export ${DaprResourceEnv.kafkaBrokers}=${state.kafka.brokers}`);
  log(`  Logs and data in ${runDir()}; stop with 'npm run infra:down'.`);
}

async function main(): Promise<void> {
  const started = Date.now();
  if (!(await provision())) process.exit(1);

  const existing = readRunState();
  if (existing && (await stillRunning(existing))) {
    log('✔ Redis and Kafka are already running');
    printAddresses(existing);
    return;
  }
  if (existing) {
    if (isOurs(existing.redis.pid, processMarkers.redis) || isOurs(existing.kafka.pid, processMarkers.kafka)) {
      log(`✘ the servers in ${stateFile()} run but do not answer; run 'npm run infra:down' first`);
      process.exit(1);
    }
    log('  the servers of an earlier infra:up are gone (a reboot?); starting new ones');
    rmSync(runDir(), { recursive: true, force: true });
  }

  const redisDir = path.join(runDir(), 'redis');
  const kafkaDir = path.join(runDir(), 'kafka');
  mkdirSync(redisDir, { recursive: true });
  mkdirSync(kafkaDir, { recursive: true });
  const [redis, kafka] = await Promise.all([
    step('start Redis', () => startRedis({ detached: true, dataDir: redisDir })),
    step('start Kafka (KRaft, single node)', () => startKafka({ detached: true, dataDir: kafkaDir })),
  ]);
  const state: RunState = {
    startedAt: new Date().toISOString(),
    redis: { pid: redis.pid, address: redis.address, dir: redisDir },
    kafka: { pid: kafka.pid, brokers: kafka.brokers, dir: kafkaDir },
  };
  writeFileSync(stateFile(), `${JSON.stringify(state, null, 2)}\n`);
  await step(`create ${systemTopics.length} topics`, () => createTopics(kafka.brokers, systemTopics));
  log(`  ${systemTopics.map((t) => `${t.name} (${t.partitions})`).join(', ')}`);
  log(`✔ infrastructure up in ${elapsed(started)}`);
  printAddresses(state);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
