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
  startRedis,
  systemTopics,
  waitUntilReady,
  writeDaprResources,
  REPO_ROOT,
  type Daprd,
  type KafkaBroker,
  type ManagedProcess,
  type RedisServer,
} from '@sitter/infra-harness';
import { PartnerTopics } from '@sitter/contracts';
import { DEV_API_KEY } from '../config';
import { gatewayApp, PAYMENTS_SANDBOX, serviceApps, type AppSpec } from './apps';

export interface DaprSystemOptions {
  /** The gateway's port; 0 picks a free one. */
  port: number;
  /**
   * Kept across runs: the state (Redis's append-only file in `dapr/redis/`), the logs of the last run
   * (`dapr/logs/`) and the dev issuer's key (`dev-issuer/`, shared with `npm start` and `npm run token`).
   */
  dataDir: string;
  /** LOG_LEVEL of every service; `info` by default. */
  logLevel?: string;
  /** Start the dev issuer on this port (0 = any) and have the gateway trust it; otherwise env holds JWKS_URI etc. */
  devIssuerPort?: number;
  graphiql?: boolean;
  /** The environment every process starts from (BOOKING_*, JWT_*, …); process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** Progress lines, e.g. console.log; silent by default. */
  progress?: (line: string) => void;
}

/** One app of the run: its process and its sidecar. */
export interface RunningApp {
  appId: string;
  appPort: number;
  pid: number;
  sidecar: Pick<Daprd, 'httpPort' | 'grpcPort' | 'internalGrpcPort' | 'metricsPort' | 'pid'>;
  logFile: string;
  sidecarLogFile: string;
}

export interface RunningDaprSystem {
  /** GraphQL (and GraphiQL) on the gateway. */
  url: string;
  port: number;
  kafka: Pick<KafkaBroker, 'brokers' | 'pid'>;
  redis: Pick<RedisServer, 'address' | 'pid'>;
  devIssuer?: RunningDevIssuer;
  apps: readonly RunningApp[];
  logDir: string;
  /** Stops the gateway, the services, their sidecars, Kafka, Redis and the dev issuer, in that order; once. */
  stop(): Promise<void>;
}

/** Services may take a while on a busy machine: tsx compiles them on the fly. */
const APP_STARTUP_MS = 120_000;

const answersOk = async (url: string): Promise<boolean> => {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  await response.arrayBuffer();
  return response.ok;
};

interface Started {
  app: RunningApp;
  process: ManagedProcess;
  sidecar: Daprd;
}

interface RunLayout {
  scratch: string;
  redisDir: string;
  logDir: string;
  resources: Record<AppSpec['resources'], string>;
}

function prepare(dataDir: string): RunLayout {
  const base = path.resolve(dataDir, 'dapr');
  const redisDir = path.join(base, 'redis');
  const logDir = path.join(base, 'logs');
  // The logs are the last run's: a fresh folder each time.
  rmSync(logDir, { recursive: true, force: true });
  mkdirSync(redisDir, { recursive: true });
  mkdirSync(logDir, { recursive: true });
  // What must not outlive the run (sidecar registrations, rendered resources) goes in a temporary folder.
  const scratch = makeTempDir('dapr-system');
  return {
    scratch,
    redisDir,
    logDir,
    resources: {
      system: path.join(REPO_ROOT, 'dapr-components'),
      // The sandbox stands outside the system's topic scopes: components, subscription and resiliency of its own.
      partner: writeDaprResources(path.join(scratch, 'partner-resources'), {
        apps: [PAYMENTS_SANDBOX],
        subscriptions: [{ app: PAYMENTS_SANDBOX, topic: PartnerTopics.paymentRequests }],
      }),
    },
  };
}

/** Starts one app's sidecar, then the app, and waits until the app answers /readyz (and daprd reaches it). */
async function startApp(
  spec: AppSpec,
  layout: RunLayout,
  infra: { kafka: KafkaBroker; redis: RedisServer },
  options: { logLevel: string; env: NodeJS.ProcessEnv; appPort?: number; extraEnv?: Record<string, string> },
): Promise<Started> {
  const appPort = options.appPort ?? (await freePort());
  const sidecarLogFile = path.join(layout.logDir, `${spec.appId}.daprd.log`);
  const sidecar = await startDaprd({
    appId: spec.appId,
    appPort: spec.servedBySidecar ? appPort : undefined,
    resourcesPath: layout.resources[spec.resources],
    // dapr-components/configuration.yaml names a relative sqlite file: the run's sidecars share it in the scratch
    // folder, and no two runs share one.
    configPath: path.join(layout.resources.system, 'configuration.yaml'),
    cwd: layout.scratch,
    kafkaBrokers: infra.kafka.brokers,
    redisHost: infra.redis.address,
    // The app is not up yet: wait for the sidecar's own APIs and components only.
    readiness: 'outbound',
    logLevel: 'warn',
    logFile: sidecarLogFile,
  });
  const logFile = path.join(layout.logDir, `${spec.appId}.log`);
  const env = {
    ...options.env,
    ...spec.env({
      appPort,
      daprHttpPort: sidecar.httpPort,
      kafkaBrokers: infra.kafka.brokers,
      logLevel: options.logLevel,
    }),
    ...options.extraEnv,
  };
  const proc = launch(spec.appId, process.execPath, ['--require', 'tsx/cjs', spec.entry], {
    cwd: REPO_ROOT,
    env,
    logFile,
  });
  try {
    await waitUntilReady(proc, 'GET /readyz', () => answersOk(`http://127.0.0.1:${appPort}/readyz`), APP_STARTUP_MS);
    // Once daprd reaches the app it has read the app's subscriptions.
    if (spec.servedBySidecar) {
      await waitUntilReady(proc, 'its sidecar', () => answersOk(`${sidecar.httpUrl}/v1.0/healthz`), APP_STARTUP_MS);
    }
  } catch (error) {
    await proc.stop();
    await sidecar.stop();
    throw new Error(`${spec.appId} did not start: ${(error as Error).message}\n--- daprd ---\n${sidecar.output()}`);
  }
  return {
    app: {
      appId: spec.appId,
      appPort,
      pid: proc.pid,
      sidecar: {
        httpPort: sidecar.httpPort,
        grpcPort: sidecar.grpcPort,
        internalGrpcPort: sidecar.internalGrpcPort,
        metricsPort: sidecar.metricsPort,
        pid: sidecar.pid,
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
 * The system as `npm start` serves it, but every service in its own process next to its own daprd: Redis (state
 * and key locks), Kafka with every system topic, the services and their sidecars side by side (service invocation
 * through a shared sqlite name-resolution file), then the gateway and its sidecar.
 */
export async function startDaprSystem(options: DaprSystemOptions): Promise<RunningDaprSystem> {
  const progress = options.progress ?? (() => undefined);
  const logLevel = options.logLevel ?? 'info';
  const env = options.env ?? process.env;
  const layout = prepare(options.dataDir);
  const running: Started[] = [];
  let kafka: KafkaBroker | undefined;
  let redis: RedisServer | undefined;
  let devIssuer: RunningDevIssuer | undefined;

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      const gateway = running.filter((s) => s.app.appId === gatewayApp.appId);
      await stopApps(gateway);
      await stopApps(running.filter((s) => !gateway.includes(s)));
      await kafka?.stop();
      await redis?.stop();
      await devIssuer?.stop();
      rmSync(layout.scratch, { recursive: true, force: true });
    })();
    return stopped;
  };

  try {
    progress('▶ Redis (state and locks) and Kafka (KRaft, single node)');
    redis = await startRedis({ dataDir: layout.redisDir, persist: true });
    kafka = await startKafka();
    await createTopics(kafka.brokers, systemTopics);
    progress(`✔ Redis at ${redis.address}, Kafka at ${kafka.brokers} with ${systemTopics.length} topics`);

    progress(`▶ ${serviceApps.map((s) => s.appId).join(', ')}, each with its daprd`);
    const infra = { kafka, redis };
    const services = await settleAll(serviceApps.map((spec) => startApp(spec, layout, infra, { logLevel, env })));
    running.push(...services.started);
    if (services.failure) throw services.failure;
    progress('✔ services ready');

    if (options.devIssuerPort !== undefined) {
      devIssuer = await startDevIssuer({ dataDir: options.dataDir, port: options.devIssuerPort, host: '127.0.0.1' });
    }
    progress('▶ gateway with its daprd');
    const gateway = await startApp(gatewayApp, layout, infra, {
      logLevel,
      env,
      appPort: options.port === 0 ? undefined : options.port,
      extraEnv: gatewayAuthEnv(options, env, devIssuer),
    });
    running.push(gateway);
    progress('✔ gateway ready');

    return {
      url: `http://localhost:${gateway.app.appPort}/graphql`,
      port: gateway.app.appPort,
      kafka: { brokers: kafka.brokers, pid: kafka.pid },
      redis: { address: redis.address, pid: redis.pid },
      devIssuer,
      apps: running.map((s) => s.app),
      logDir: layout.logDir,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
