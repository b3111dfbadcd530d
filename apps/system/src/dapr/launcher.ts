import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { startDevIssuer, type RunningDevIssuer } from '@sitter/dev-issuer';
import {
  createTopics,
  freePort,
  launch,
  makeTempDir,
  startDaprd,
  startKafka,
  startPostgres,
  startRedis,
  selfHostedStateFolders,
  systemTopics,
  waitUntilReady,
  writeDaprResources,
  REPO_ROOT,
  type Daprd,
  type StartDaprdOptions,
  type KafkaBroker,
  type ManagedProcess,
  type PostgresServer,
  type RedisServer,
} from '@sitter/infra-harness';
import { PartnerTopics } from '@sitter/contracts';
import { drainSeconds } from '@sitter/platform';
import { DEV_API_KEY } from '../config';
import { gatewayApp, PAYMENTS_SANDBOX, serviceApps, type AppSpec } from './apps';
import { bundleEntries } from './bundles';
import { defaultRestartPolicy, Supervised, type RestartPolicy, type Supervisable } from './supervisor';

export interface DaprSystemOptions {
  /** The gateway's port (instance i listens on port + i); 0 picks free ones. */
  port: number;
  /**
   * Instances of every app (gateway, services, decliner, payments sandbox), 1 by default. Each instance runs next to
   * its own daprd under the app's one Dapr app id, so name resolution spreads invocations across the instances.
   */
  replicas?: number;
  /**
   * Kept across runs: the state (PostgreSQL's cluster in `dapr/postgres/`, or with stateStore `redis` Redis's
   * append-only file in `dapr/redis/`, where the gateway's API-key counts are either way), Kafka's topics, messages
   * and consumer offsets (`dapr/kafka/`), the logs of the last run (`dapr/logs/`) and the dev issuer's key
   * (`dev-issuer/`, shared with `npm start` and `npm run token`). Started by root, PostgreSQL runs as the `postgres`
   * user, which must be able to enter this folder and its parents.
   */
  dataDir: string;
  /**
   * Start from empty Redis, PostgreSQL and Kafka data (`dev:dapr --fresh`): what `dapr/redis/`, `dapr/postgres/` and
   * `dapr/kafka/` held is removed.
   */
  fresh?: boolean;
  /**
   * What the services keep state in: `postgresql` (default; state.postgresql v2 on a PostgreSQL the launcher starts
   * and supervises, its cluster kept in `dapr/postgres/`; dapr-components/state-postgresql/, no lock store, the
   * services get SITTER_STATE_LOCK_STORE=none) or `redis` (state.redis, every write's keys locked through lock.redis:
   * dapr-components/state-redis/). Redis runs either way: the gateway counts its API-key limits there.
   */
  stateStore?: DaprStateStoreType;
  /** How crashed processes are restarted; defaultRestartPolicy unless given. */
  restartPolicy?: RestartPolicy;
  /** LOG_LEVEL of every service; `info` by default. */
  logLevel?: string;
  /** Start the dev issuer on this port (0 = any) and have the gateway trust it; otherwise env holds JWKS_URI etc. */
  devIssuerPort?: number;
  graphiql?: boolean;
  /** The environment every process starts from (BOOKING_*, JWT_*, …); process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** Progress lines, e.g. console.log; silent by default. Restarts are reported here too. */
  progress?: (line: string) => void;
  /** Where a supervisor that gave up on a process says so (dev:dapr: stderr); `progress` by default. */
  alarm?: (line: string) => void;
}

export type DaprStateStoreType = 'redis' | 'postgresql';

/** A state store type from a flag or an option. */
export function parseStateStore(value: string): DaprStateStoreType {
  if (value === 'redis' || value === 'postgresql') return value;
  throw new Error(`the state store is redis or postgresql, not ${value}`);
}

/** One instance of an app of the run: its process and its sidecar. */
export interface RunningApp {
  appId: string;
  /** 0 … replicas - 1. */
  instance: number;
  /** How the run names this instance (see instanceName), e.g. in `supervised()` and the log file names. */
  name: string;
  appPort: number;
  pid: number;
  sidecar: Pick<Daprd, 'httpPort' | 'grpcPort' | 'internalGrpcPort' | 'metricsPort' | 'pid'>;
  logFile: string;
  sidecarLogFile: string;
}

export interface RunningDaprSystem {
  /** GraphQL (and GraphiQL) on the gateway's first instance. */
  url: string;
  port: number;
  /** GraphQL on every gateway instance, by instance (urls[0] === url). */
  urls: readonly string[];
  kafka: Pick<KafkaBroker, 'brokers' | 'pid'>;
  redis: Pick<RedisServer, 'address' | 'pid'>;
  /** With stateStore `postgresql` (the default): the PostgreSQL the state store is on. */
  postgres?: Pick<PostgresServer, 'connectionString' | 'pid'>;
  stateStore: DaprStateStoreType;
  devIssuer?: RunningDevIssuer;
  /** As started; a process restarted since has a new pid (see `supervised`). */
  apps: readonly RunningApp[];
  logDir: string;
  /**
   * Every process started, by name ("redis", "postgres", "kafka", "<instance name>", "<instance name> daprd", see
   * instanceName):
   * its current pid, its restarts, and `stop()`, which stops it for good (no restart).
   */
  supervised(): ReadonlyMap<string, Supervised<Supervisable>>;
  /** Stops the gateway, the services, their sidecars, Kafka, PostgreSQL, Redis and the dev issuer, in that order; once. */
  stop(): Promise<void>;
}

/** The first instance of an app is named after its app id ("booking"), the others `<app id>#<i>` ("booking#1"). */
export const instanceName = (appId: string, instance: number): string =>
  instance === 0 ? appId : `${appId}#${instance}`;

/** A replica count from a flag or an option: a whole number from 1 up. */
export function parseReplicas(value: string | number): number {
  const replicas = Number(value);
  if (!Number.isInteger(replicas) || replicas < 1) throw new Error(`replicas must be a whole number ≥ 1, not ${value}`);
  return replicas;
}

/** Services may take a while on a busy machine. */
const APP_STARTUP_MS = 120_000;
/** What an app does on SIGTERM besides draining its requests: a consumer leaving its group, leases given up. */
const APP_STOP_STEPS_MS = 10_000;

const answersOk = async (url: string): Promise<boolean> => {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  await response.arrayBuffer();
  return response.ok;
};

interface Started {
  app: RunningApp;
  process: Supervised<ManagedProcess>;
  sidecar: Supervised<Daprd>;
}

/** The system's committed Dapr resources (`npm run infra:components` writes them). */
const SYSTEM_RESOURCES = path.join(REPO_ROOT, 'dapr-components');

interface RunLayout {
  scratch: string;
  redisDir: string;
  postgresDir: string;
  kafkaDir: string;
  logDir: string;
  /** The resource folders each kind of app's sidecar loads (a `--resources-path` each). */
  resources: Record<AppSpec['resources'], string[]>;
  /** The system's Configuration (dapr-components/configuration.yaml). */
  configPath: string;
  /** Each app's entry point (AppSpec.entry) → its bundle, the JavaScript the app runs. */
  bundles: Map<string, string>;
}

/** What starting a process under supervision needs besides the process itself. */
interface Supervision {
  policy: RestartPolicy;
  progress: (line: string) => void;
  alarm: (line: string) => void;
}

const supervise = async <T extends Supervisable>(
  name: string,
  start: () => Promise<T>,
  supervision: Supervision,
): Promise<Supervised<T>> =>
  new Supervised(
    name,
    await start(),
    start,
    { line: supervision.progress, gaveUp: supervision.alarm },
    supervision.policy,
  );

async function prepare(dataDir: string, fresh: boolean, stateStore: DaprStateStoreType): Promise<RunLayout> {
  const base = path.resolve(dataDir, 'dapr');
  const redisDir = path.join(base, 'redis');
  // PostgreSQL's cluster (PGDATA): initialised by its first start (startPostgres), so not made here.
  const postgresDir = path.join(base, 'postgres');
  const kafkaDir = path.join(base, 'kafka');
  const logDir = path.join(base, 'logs');
  // The logs are the last run's: a fresh folder each time.
  rmSync(logDir, { recursive: true, force: true });
  if (fresh) for (const dir of [redisDir, postgresDir, kafkaDir]) rmSync(dir, { recursive: true, force: true });
  for (const dir of [redisDir, kafkaDir, logDir]) mkdirSync(dir, { recursive: true });
  // What must not outlive the run (sidecar registrations, rendered resources) goes in a temporary folder.
  const scratch = makeTempDir('dapr-system');
  return {
    scratch,
    redisDir,
    postgresDir,
    kafkaDir,
    logDir,
    bundles: await bundleEntries(
      [...serviceApps, gatewayApp].map((spec) => spec.entry),
      path.join(scratch, 'bundles'),
    ).catch((error: unknown) => {
      rmSync(scratch, { recursive: true, force: true });
      throw error;
    }),
    resources: {
      // The committed dapr-components/: the shared resources, and the folder of the chosen state store beside them
      // (state-postgresql/: state.postgresql, no lock store; state-redis/: state.redis and lock.redis).
      system: [SYSTEM_RESOURCES, path.join(SYSTEM_RESOURCES, selfHostedStateFolders[stateStore])],
      // The sandbox stands outside the system's topic scopes: components, subscription and resiliency of its own.
      partner: [
        writeDaprResources(path.join(scratch, 'partner-resources'), {
          apps: [PAYMENTS_SANDBOX],
          subscriptions: [{ app: PAYMENTS_SANDBOX, topic: PartnerTopics.paymentRequests }],
        }),
      ],
    },
    configPath: path.join(SYSTEM_RESOURCES, 'configuration.yaml'),
  };
}

/**
 * Starts one instance of an app: its sidecar, then the app, and waits until the app answers /readyz (and daprd
 * reaches it). Both are supervised: a restarted sidecar keeps its ports, a restarted app its port and environment.
 * Every instance's sidecar registers under the app's Dapr app id in the run's shared name-resolution file.
 */
async function startApp(
  spec: AppSpec,
  instance: number,
  layout: RunLayout,
  infra: { kafka: KafkaBroker; redis: RedisServer; postgres?: PostgresServer },
  options: { logLevel: string; env: NodeJS.ProcessEnv; appPort?: number; extraEnv?: Record<string, string> },
  supervision: Supervision,
): Promise<Started> {
  const name = instanceName(spec.appId, instance);
  const appPort = options.appPort ?? (await freePort());
  const sidecarLogFile = path.join(layout.logDir, `${name}.daprd.log`);
  // The first start picks free ports (again, when one was taken meanwhile); a restart keeps them for the app.
  let ports: StartDaprdOptions['ports'];
  const startSidecar = async () => {
    const started = await startDaprd({
      ports,
      appId: spec.appId,
      appPort: spec.servedBySidecar ? appPort : undefined,
      resourcesPath: layout.resources[spec.resources],
      // dapr-components/configuration.yaml names a relative sqlite file: the run's sidecars share it in the scratch
      // folder, and no two runs share one.
      configPath: layout.configPath,
      cwd: layout.scratch,
      kafkaBrokers: infra.kafka.brokers,
      redisHost: infra.redis.address,
      postgresConnectionString: infra.postgres?.connectionString,
      // The app is not up yet: wait for the sidecar's own APIs and components only.
      readiness: 'outbound',
      logLevel: 'warn',
      logFile: sidecarLogFile,
    });
    ports ??= {
      http: started.httpPort,
      grpc: started.grpcPort,
      internalGrpc: started.internalGrpcPort,
      metrics: started.metricsPort,
    };
    return started;
  };
  const sidecar = await supervise(`${name} daprd`, startSidecar, supervision);
  const http = sidecar.current.httpPort;
  const sidecarUrl = `http://127.0.0.1:${http}`;
  const logFile = path.join(layout.logDir, `${name}.log`);
  const env = {
    ...options.env,
    ...spec.env({
      appPort,
      daprHttpPort: http,
      kafkaBrokers: infra.kafka.brokers,
      logLevel: options.logLevel,
    }),
    // state.postgresql rolls its transactions back by itself: no key locks (and no lock store component).
    ...(infra.postgres && spec.resources === 'system' ? { SITTER_STATE_LOCK_STORE: 'none' } : {}),
    ...options.extraEnv,
  };
  const startProcess = async () => {
    const proc = launch(name, process.execPath, [layout.bundles.get(spec.entry)!], {
      cwd: REPO_ROOT,
      env,
      logFile,
      // Killed only once its own drain (SHUTDOWN_DRAIN_SECONDS) and the steps after it have had their time.
      stopGraceMs: drainSeconds(env) * 1000 + APP_STOP_STEPS_MS,
    });
    try {
      await waitUntilReady(proc, 'GET /readyz', () => answersOk(`http://127.0.0.1:${appPort}/readyz`), APP_STARTUP_MS);
      // Once daprd reaches the app it has read the app's subscriptions.
      if (spec.servedBySidecar) {
        await waitUntilReady(proc, 'its sidecar', () => answersOk(`${sidecarUrl}/v1.0/healthz`), APP_STARTUP_MS);
      }
    } catch (error) {
      await proc.stop();
      throw error;
    }
    return proc;
  };
  let proc: Supervised<ManagedProcess>;
  try {
    proc = await supervise(name, startProcess, supervision);
  } catch (error) {
    await sidecar.stop();
    throw new Error(`${name} did not start: ${(error as Error).message}\n--- daprd ---\n${sidecar.current.output()}`);
  }
  const first = sidecar.current;
  return {
    app: {
      appId: spec.appId,
      instance,
      name,
      appPort,
      pid: proc.current.pid,
      sidecar: {
        httpPort: first.httpPort,
        grpcPort: first.grpcPort,
        internalGrpcPort: first.internalGrpcPort,
        metricsPort: first.metricsPort,
        pid: first.pid,
      },
      logFile,
      sidecarLogFile,
    },
    process: proc,
    sidecar,
  };
}

/** Each app before its sidecar, so that no app loses its sidecar while it still works. */
const stopApps = (started: readonly Started[]) =>
  Promise.all(
    started.map(async ({ process: proc, sidecar }) => {
      await proc.stop();
      await sidecar.stop();
    }),
  );

/** Waits for every start, even when one fails, so that whatever did start can be stopped. */
async function settleAll<T>(starts: readonly Promise<T>[]): Promise<{ started: T[]; failure?: unknown }> {
  const results = await Promise.allSettled(starts);
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  return { started, failure: failed?.reason };
}

function gatewayAuthEnv(options: DaprSystemOptions, env: NodeJS.ProcessEnv, issuer?: RunningDevIssuer) {
  // Unset, GRAPHIQL follows NODE_ENV in the gateway (on unless production).
  const auth: Record<string, string> = options.graphiql === undefined ? {} : { GRAPHIQL: String(options.graphiql) };
  if (issuer) {
    Object.assign(auth, {
      JWKS_URI: issuer.jwksUri,
      JWT_ISSUER: issuer.issuer,
      JWT_AUDIENCE: issuer.audience,
      API_KEYS: env.API_KEYS || DEV_API_KEY,
      JWT_PUBLIC_KEY: '',
    });
  }
  return auth;
}

/**
 * The system as `npm start` serves it, but every service in its own process next to its own daprd: PostgreSQL (state;
 * or, with stateStore `redis`, Redis with key locks), Redis (the gateway's API-key limits), Kafka with every system topic, the services and their sidecars side by side (service invocation
 * through a shared sqlite name-resolution file), then the gateway and its sidecar; `replicas` instances of each.
 * Dapr's sqlite name resolver keeps one row per sidecar (app id, address, last heartbeat) and answers each lookup
 * with a random live row of the app id, so invocations spread across instances, and a sidecar that stopped
 * heartbeating (killed) drops out within its update interval (5 s).
 */
export async function startDaprSystem(options: DaprSystemOptions): Promise<RunningDaprSystem> {
  const progress = options.progress ?? (() => undefined);
  const supervision: Supervision = {
    policy: options.restartPolicy ?? defaultRestartPolicy,
    progress,
    alarm: options.alarm ?? progress,
  };
  const logLevel = options.logLevel ?? 'info';
  const replicas = parseReplicas(options.replicas ?? 1);
  const instances = Array.from({ length: replicas }, (_, i) => i);
  const times = replicas > 1 ? ` ×${replicas}` : '';
  const env = options.env ?? process.env;
  const stateStore = options.stateStore ?? 'postgresql';
  const layout = await prepare(options.dataDir, options.fresh ?? false, stateStore);
  const running: Started[] = [];
  let kafka: Supervised<KafkaBroker> | undefined;
  let redis: Supervised<RedisServer> | undefined;
  let postgres: Supervised<PostgresServer> | undefined;
  let devIssuer: RunningDevIssuer | undefined;

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      const gateway = running.filter((s) => s.app.appId === gatewayApp.appId);
      await stopApps(gateway);
      await stopApps(running.filter((s) => !gateway.includes(s)));
      await kafka?.stop();
      await postgres?.stop();
      await redis?.stop();
      await devIssuer?.stop();
      rmSync(layout.scratch, { recursive: true, force: true });
    })();
    return stopped;
  };

  try {
    progress(
      stateStore === 'postgresql'
        ? '▶ PostgreSQL (state), Redis (API-key limits) and Kafka (KRaft, single node)'
        : '▶ Redis (state and locks) and Kafka (KRaft, single node)',
    );
    // The first start picks free ports; a restarted Redis or Kafka must be where the sidecars and the decliner look.
    let redisPort: number | undefined;
    redis = await supervise(
      'redis',
      async () => {
        const started = await startRedis({ port: redisPort, dataDir: layout.redisDir, persist: true });
        redisPort ??= started.port;
        return started;
      },
      supervision,
    );
    if (stateStore === 'postgresql') {
      let postgresPort: number | undefined;
      postgres = await supervise(
        'postgres',
        async () => {
          const started = await startPostgres({ port: postgresPort, dataDir: layout.postgresDir });
          postgresPort ??= started.port;
          return started;
        },
        supervision,
      );
    }
    let kafkaPorts: { port: number; controllerPort: number } | undefined;
    kafka = await supervise(
      'kafka',
      async () => {
        const started = await startKafka({ ...kafkaPorts, dataDir: layout.kafkaDir, persist: true });
        kafkaPorts ??= { port: started.port, controllerPort: started.controllerPort };
        return started;
      },
      supervision,
    );
    await createTopics(kafka.current.brokers, systemTopics);
    progress(
      `✔ ${postgres ? `PostgreSQL at 127.0.0.1:${postgres.current.port}, ` : ''}Redis at ${redis.current.address}, ` +
        `Kafka at ${kafka.current.brokers} with ${systemTopics.length} topics ` +
        `(data kept in ${path.dirname(layout.redisDir)}${options.fresh ? ', started fresh' : ''})`,
    );

    progress(`▶ ${serviceApps.map((s) => s.appId + times).join(', ')}, each instance with its daprd`);
    const infra = { kafka: kafka.current, redis: redis.current, postgres: postgres?.current };
    // One instance of every service at a time: a busy machine starts five processes at once more surely than ten.
    for (const instance of instances) {
      const services = await settleAll(
        serviceApps.map((spec) => startApp(spec, instance, layout, infra, { logLevel, env }, supervision)),
      );
      running.push(...services.started);
      if (services.failure) throw services.failure;
    }
    progress('✔ services ready');

    if (options.devIssuerPort !== undefined) {
      devIssuer = await startDevIssuer({ dataDir: options.dataDir, port: options.devIssuerPort, host: '127.0.0.1' });
    }
    progress(`▶ gateway${times} with its daprd`);
    const gateways = await settleAll(
      instances.map((instance) =>
        startApp(
          gatewayApp,
          instance,
          layout,
          infra,
          {
            logLevel,
            env,
            appPort: options.port === 0 ? undefined : options.port + instance,
            // Every gateway instance counts the API-key limits in the run's Redis, so they hold across instances.
            extraEnv: { ...gatewayAuthEnv(options, env, devIssuer), RATE_LIMIT_REDIS_HOST: infra.redis.address },
          },
          supervision,
        ),
      ),
    );
    running.push(...gateways.started);
    if (gateways.failure) throw gateways.failure;
    progress('✔ gateway ready');
    const urls = gateways.started
      .sort((a, b) => a.app.instance - b.app.instance)
      .map((g) => `http://localhost:${g.app.appPort}/graphql`);

    return {
      url: urls[0],
      port: gateways.started[0].app.appPort,
      urls,
      kafka: { brokers: kafka.current.brokers, pid: kafka.current.pid },
      redis: { address: redis.current.address, pid: redis.current.pid },
      ...(postgres
        ? { postgres: { connectionString: postgres.current.connectionString, pid: postgres.current.pid } }
        : {}),
      stateStore,
      devIssuer,
      apps: running.map((s) => s.app),
      logDir: layout.logDir,
      supervised: () => {
        const all: Supervised<Supervisable>[] = [
          redis!,
          ...(postgres ? [postgres] : []),
          kafka!,
          ...running.flatMap((s) => [s.process, s.sidecar]),
        ];
        return new Map(all.map((each) => [each.name, each]));
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
