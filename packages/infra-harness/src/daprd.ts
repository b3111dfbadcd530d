import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderDaprConfiguration } from './dapr-resources';
import { DaprResourceEnv } from './system-plan';
import { freePorts, launch, makeTempDir, removeDir, startWithRetries, waitUntilReady } from './processes';
import { locateTool } from './tools';

export interface Daprd {
  readonly appId: string;
  readonly httpPort: number;
  readonly grpcPort: number;
  readonly internalGrpcPort: number;
  readonly metricsPort: number;
  /** http://127.0.0.1:<httpPort>, the base of Dapr's HTTP API. */
  readonly httpUrl: string;
  readonly pid: number;
  /** Resolves once daprd has exited (stopped, or killed), with how. */
  readonly exited: Promise<string>;
  /** The sidecar's recent log lines, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface StartDaprdOptions {
  appId: string;
  /** The app's port on 127.0.0.1; without it the sidecar runs with no app (state and publish only). */
  appPort?: number;
  appProtocol?: 'http' | 'grpc';
  /** Folder(s) of Dapr resources: components, subscriptions, resiliency. */
  resourcesPath: string | readonly string[];
  /**
   * A Configuration file (e.g. dapr-components/configuration.yaml); when absent one is written with sqlite name
   * resolution on nameResolutionFile.
   */
  configPath?: string;
  /**
   * The sqlite file through which sidecars find each other (service invocation). Sidecars that call each other
   * must share it; by default each sidecar gets its own.
   */
  nameResolutionFile?: string;
  /** host:port of Redis, for the state store component (SITTER_REDIS_HOST). */
  redisHost?: string;
  /** PostgreSQL's connection string, for a state.postgresql state store (SITTER_POSTGRES_CONNECTION_STRING). */
  postgresConnectionString?: string;
  /** Kafka brokers, for the pub/sub component (SITTER_KAFKA_BROKERS). */
  kafkaBrokers?: string;
  /** daprd's working directory, against which relative paths in its Configuration resolve. */
  cwd?: string;
  /** More environment for the sidecar. */
  env?: Record<string, string>;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /**
   * 'full' (default) waits for /v1.0/healthz, which also needs the app to be reachable when appPort is set;
   * 'outbound' waits only until the sidecar's own APIs and components are ready (/v1.0/healthz/outbound).
   */
  readiness?: 'full' | 'outbound';
  /** Keep running after this process exits (dev runs); the log goes to logFile. */
  detached?: boolean;
  logFile?: string;
  /** Fixed ports instead of free ones: a sidecar restarted for the same app keeps the ports its app knows. */
  ports?: { http: number; grpc: number; internalGrpc: number; metrics: number };
  /** Seconds daprd waits for in-flight work on shutdown. */
  gracefulShutdownSeconds?: number;
  startupTimeoutMs?: number;
}

async function healthy(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  await response.arrayBuffer();
  return response.status >= 200 && response.status < 300;
}

const START_ATTEMPTS = 3;

/**
 * Dapr's SQL state stores create their metadata table with CREATE TABLE IF NOT EXISTS, which PostgreSQL does not make
 * safe against a create under way in another session: sidecars starting side by side on a fresh database can lose
 * that race with SQLSTATE 42710 ("type … already exists"; Dapr retries only 23505 itself) and exit. Started again, the
 * sidecar finds the table. On Kubernetes the kubelet's restart does the same.
 */
export const lostMetadataTableRace = (output: string): boolean => /metadata table.*SQLSTATE (42710|23505)/.test(output);

/**
 * Starts one self-hosted daprd sidecar on free loopback ports, without placement or scheduler (state, pub/sub and
 * service invocation work without them).
 */
export function startDaprd(options: StartDaprdOptions): Promise<Daprd> {
  const binary = locateTool('daprd');
  const resourcesPaths = typeof options.resourcesPath === 'string' ? [options.resourcesPath] : options.resourcesPath;
  return startWithRetries(
    async () => {
      const [httpPort, grpcPort, internalGrpcPort, metricsPort] = options.ports
        ? [options.ports.http, options.ports.grpc, options.ports.internalGrpc, options.ports.metrics]
        : await freePorts(4);
      const dir = makeTempDir(`daprd-${options.appId}`);
      let configPath = options.configPath;
      if (!configPath) {
        configPath = path.join(dir, 'configuration.yaml');
        const nameResolutionFile = options.nameResolutionFile ?? path.join(dir, 'names.db');
        writeFileSync(configPath, renderDaprConfiguration({ nameResolutionFile }));
      }

      // Every listener on loopback: the sidecars of a test run are reachable from this machine only.
      const flags: [string, string][] = [
        ['--app-id', options.appId],
        ['--mode', 'standalone'],
        ['--dapr-listen-addresses', '127.0.0.1'],
        ['--dapr-http-port', String(httpPort)],
        ['--dapr-grpc-port', String(grpcPort)],
        ['--dapr-internal-grpc-listen-address', '127.0.0.1'],
        ['--dapr-internal-grpc-port', String(internalGrpcPort)],
        ['--metrics-listen-address', '127.0.0.1'],
        ['--metrics-port', String(metricsPort)],
        ['--config', configPath],
        ['--log-level', options.logLevel ?? 'info'],
        ['--dapr-graceful-shutdown-seconds', String(options.gracefulShutdownSeconds ?? 1)],
        ...resourcesPaths.map((p): [string, string] => ['--resources-path', p]),
      ];
      if (options.appPort !== undefined) {
        flags.push(
          ['--app-port', String(options.appPort)],
          ['--app-protocol', options.appProtocol ?? 'http'],
          ['--app-channel-address', '127.0.0.1'],
        );
      }
      const args = [...flags.flat(), '--log-as-json'];

      const env: NodeJS.ProcessEnv = {
        ...process.env,
        // The address the sidecar registers for service invocation: loopback, not the machine's first interface.
        DAPR_HOST_IP: '127.0.0.1',
        ...(options.redisHost ? { [DaprResourceEnv.redisHost]: options.redisHost } : {}),
        ...(options.postgresConnectionString
          ? { [DaprResourceEnv.postgresConnectionString]: options.postgresConnectionString }
          : {}),
        ...(options.kafkaBrokers ? { [DaprResourceEnv.kafkaBrokers]: options.kafkaBrokers } : {}),
        ...options.env,
      };
      const proc = launch(`daprd ${options.appId}`, binary, args, {
        env,
        cwd: options.cwd,
        detached: options.detached,
        logFile: options.logFile ?? path.join(dir, 'daprd.log'),
      });
      const httpUrl = `http://127.0.0.1:${httpPort}`;
      const stop = async () => {
        await proc.stop(((options.gracefulShutdownSeconds ?? 1) + 10) * 1000);
        if (!options.detached) removeDir(dir);
      };
      const probe = options.readiness === 'outbound' ? '/v1.0/healthz/outbound' : '/v1.0/healthz';
      try {
        await waitUntilReady(proc, probe, () => healthy(httpUrl + probe), options.startupTimeoutMs ?? 60_000);
      } catch (error) {
        await stop();
        throw error;
      }
      return {
        appId: options.appId,
        httpPort,
        grpcPort,
        internalGrpcPort,
        metricsPort,
        httpUrl,
        pid: proc.pid,
        exited: proc.exited,
        output: () => proc.output(),
        stop,
      };
    },
    START_ATTEMPTS,
    lostMetadataTableRace,
  );
}
