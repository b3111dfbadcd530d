/**
 * `npm run dev:dapr`: the system as `npm start` serves it (same GraphQL API, same local auth), but on real
 * infrastructure: PostgreSQL (the services' state, in state.postgresql, without key locks), Redis (the gateway's
 * API-key limits), Kafka, and every service in its own process next to its own daprd. Provisions the tools first
 * (a warm run only checks the caches). Ctrl-C or SIGTERM stops everything it started. PostgreSQL's, Redis's and
 * Kafka's data stay in DATA_DIR/dapr across runs (`npm run dev:dapr -- --fresh` starts them empty); every process it started is
 * supervised: restarted with a backoff when it dies, one line per restart, given up on loudly after a few in a row.
 * `npm run dev:dapr -- --replicas N` starts N instances of every app, each next to its own daprd under the app's one
 * Dapr app id (name resolution spreads invocations across them); gateway instance i listens on PORT + i.
 * `npm run dev:dapr -- --state-store redis` keeps the services' state in state.redis instead, every write locking its
 * keys through lock.redis, and starts no PostgreSQL.
 *
 * Run with `node --require tsx/cjs` rather than the tsx command: then this process is the child of npm's shell, and
 * notices when npm is killed without passing the signal on.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  defaultRestartPolicy,
  parseReplicas,
  parseStateStore,
  startDaprSystem,
  type RunningDaprSystem,
} from '@sitter/system/dapr';
import { loadSystemConfig } from '@sitter/system/config';
import { provision } from './infra/provision';
import { elapsed, log } from './infra/progress';

function printRun(system: RunningDaprSystem, localAuth: boolean, started: number, fresh: boolean): void {
  log(`✔ sitter on Dapr is up in ${elapsed(started)}: GraphQL (and GraphiQL) at ${system.urls.join(', ')}`);
  log('');
  log('  instance            pid      app port  daprd http  grpc   internal  metrics');
  for (const app of system.apps) {
    const { sidecar } = app;
    log(
      `  ${app.name.padEnd(19)} ${String(app.pid).padEnd(8)} ${String(app.appPort).padEnd(9)} ` +
        `${String(sidecar.httpPort).padEnd(11)} ${String(sidecar.grpcPort).padEnd(6)} ` +
        `${String(sidecar.internalGrpcPort).padEnd(9)} ${sidecar.metricsPort}`,
    );
  }
  log('');
  log(
    `  Redis at ${system.redis.address} (pid ${system.redis.pid}${system.postgres ? ", the gateway's API-key limits" : ', state, key locks and API-key limits'}), ` +
      `Kafka at ${system.kafka.brokers} (pid ${system.kafka.pid})`,
  );
  log(
    system.postgres
      ? `  state in state.postgresql, no key locks: PostgreSQL "${system.postgres.connectionString}" (pid ${system.postgres.pid}); --state-store redis for locked state.redis`
      : '  state in state.redis, every write locking its keys through lock.redis (--state-store redis; the default is state.postgresql)',
  );
  log(`  logs of every app and sidecar in ${system.logDir}`);
  if (localAuth && system.devIssuer) {
    log(`  dev issuer JWKS at ${system.devIssuer.jwksUri}`);
    log('  get a token with: npm run -s token -- --sub alice --role PARENT');
  }
  log(
    `  Redis's${system.postgres ? ", PostgreSQL's" : ''} and Kafka's data are kept in ${path.dirname(system.logDir)} across runs${fresh ? ' (this run started them empty)' : ''}; ` +
      '`npm run dev:dapr -- --fresh` starts them empty.',
  );
  log(
    `  Every process above is supervised: one that dies is restarted (backoff ${defaultRestartPolicy.initialBackoffMs / 1000} s ` +
      `doubling, one line per restart); after ${defaultRestartPolicy.maxRestarts} restarts in a row it is given up on, loudly.`,
  );
  log('  Ctrl-C stops everything.');
}

/**
 * Gateway instance i listens on PORT + i: a dev issuer port among them (4001 by default, beside 4000) moves to the
 * first port after them; 0 (any free port) stays.
 */
function devIssuerPortBeside(gatewayPort: number, replicas: number, issuerPort: number): number {
  if (gatewayPort === 0 || issuerPort < gatewayPort || issuerPort >= gatewayPort + replicas) return issuerPort;
  const moved = gatewayPort + replicas;
  log(`  the dev issuer listens on ${moved}: ${issuerPort} is gateway instance ${issuerPort - gatewayPort}'s`);
  return moved;
}

async function main(): Promise<void> {
  const started = Date.now();
  const { values } = parseArgs({
    options: {
      fresh: { type: 'boolean', default: false },
      replicas: { type: 'string', default: '1' },
      'state-store': { type: 'string', default: 'postgresql' },
    },
    strict: true,
  });
  const fresh = values.fresh === true;
  const replicas = parseReplicas(values.replicas);
  const stateStore = parseStateStore(values['state-store']);
  // The gateway's settings are npm start's; SITTER_RUNTIME is this script's to set, per service.
  const config = loadSystemConfig({ ...process.env, SITTER_RUNTIME: undefined });
  if (!(await provision())) process.exit(1);
  const devIssuerPort = config.localAuth
    ? devIssuerPortBeside(config.PORT, replicas, config.DEV_ISSUER_PORT)
    : undefined;

  const starting = startDaprSystem({
    port: config.PORT,
    replicas,
    stateStore,
    dataDir: config.DATA_DIR,
    fresh,
    logLevel: config.LOG_LEVEL,
    devIssuerPort,
    graphiql: config.GRAPHIQL,
    env: process.env,
    progress: log,
    alarm: (line) => console.error(line),
  });

  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    log(`▶ ${reason}: stopping the gateway, the services, their sidecars, Kafka, PostgreSQL and Redis`);
    const stopped = Date.now();
    // While starting, what has started is stopped once the start is over (a failed start stops itself).
    starting
      .then(
        (system) => system.stop(),
        () => undefined,
      )
      .then(
        () => {
          log(`✔ stopped in ${elapsed(stopped)}`);
          process.exit(0);
        },
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stop(signal));
  // npm killed without passing the signal on: this process is re-parented; stop rather than linger.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop('parent process gone');
  }, 1_000).unref();

  const system = await starting;
  if (stopping) return;
  printRun(system, config.localAuth, started, fresh);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
