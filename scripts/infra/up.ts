/**
 * `npm run infra:up`: provisions (see provision.ts), then starts one Redis, one PostgreSQL and one Kafka in the
 * background for local work, creates the system's topics, and prints their addresses. Running it again while they
 * run changes nothing. `npm run infra:down` stops them.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  brokerAnswers,
  createTopics,
  DaprResourceEnv,
  pingRedis,
  postgresAnswers,
  startKafka,
  startPostgres,
  startRedis,
  systemTopics,
} from '@sitter/infra-harness';
import { provision } from './provision';
import { elapsed, log, step } from './progress';
import { isOurs, postgresDir, processMarkers, readRunState, runDir, stateFile, type RunState } from './run-state';

const hostAndPort = (address: string): [string, number] => {
  const [host, port] = address.split(':');
  return [host!, Number(port)];
};

async function stillRunning(state: RunState): Promise<boolean> {
  const redisOk = await pingRedis(...hostAndPort(state.redis.address));
  const kafkaOk = await brokerAnswers(state.kafka.brokers);
  const postgresOk = state.postgres !== undefined && (await postgresAnswers(...hostAndPort(state.postgres.address)));
  return redisOk && kafkaOk && postgresOk;
}

function printAddresses(state: RunState): void {
  log(`  Redis  ${state.redis.address}  (pid ${state.redis.pid})`);
  if (state.postgres)
    log(`  PostgreSQL  ${state.postgres.address}  (pid ${state.postgres.pid}, cluster in ${state.postgres.dir})`);
  log(`  Kafka  ${state.kafka.brokers}  (pid ${state.kafka.pid})`);
  log('  For daprd and the dapr-components/ files (--resources-path dapr-components, and beside it');
  log('  dapr-components/state-postgresql for the state in PostgreSQL or dapr-components/state-redis for Redis):');
  if (state.postgres)
    log(`    export ${DaprResourceEnv.postgresConnectionString}='${state.postgres.connectionString}'`);
  log(`    export ${DaprResourceEnv.redisHost}=${state.redis.address}`);
  log(`    export ${DaprResourceEnv.kafkaBrokers}=${state.kafka.brokers}`);
  log(`  Logs and data in ${runDir()}; stop with 'npm run infra:down'.`);
}

async function main(): Promise<void> {
  const started = Date.now();
  if (!(await provision())) process.exit(1);

  const existing = readRunState();
  if (existing && (await stillRunning(existing))) {
    log('✔ Redis, PostgreSQL and Kafka are already running');
    printAddresses(existing);
    return;
  }
  if (existing) {
    const ours = [
      isOurs(existing.redis.pid, processMarkers.redis),
      isOurs(existing.kafka.pid, processMarkers.kafka),
      existing.postgres !== undefined && isOurs(existing.postgres.pid, processMarkers.postgres),
    ];
    if (ours.some(Boolean)) {
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
  // A cluster left by an earlier infra:up (gone, or its state file removed) would be reused as it is: start empty.
  const pgDir = postgresDir();
  rmSync(pgDir, { recursive: true, force: true });
  const [redis, postgres, kafka] = await Promise.all([
    step('start Redis', () => startRedis({ detached: true, dataDir: redisDir })),
    step('start PostgreSQL', () => startPostgres({ detached: true, dataDir: pgDir })),
    step('start Kafka (KRaft, single node)', () => startKafka({ detached: true, dataDir: kafkaDir })),
  ]);
  const state: RunState = {
    startedAt: new Date().toISOString(),
    redis: { pid: redis.pid, address: redis.address, dir: redisDir },
    postgres: {
      pid: postgres.pid,
      address: `${postgres.host}:${postgres.port}`,
      connectionString: postgres.connectionString,
      dir: pgDir,
    },
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
