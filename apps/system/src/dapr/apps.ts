import { AppIds } from '@sitter/contracts';

/** Not a platform app id: the payment partner's stand-in (services/payments-sandbox). */
export const PAYMENTS_SANDBOX = 'payments-sandbox';

/** What the launcher knows when it builds an app's environment. */
export interface AppContext {
  /** Where the app listens (PORT). */
  appPort: number;
  /** Its sidecar's HTTP API. */
  daprHttpPort: number;
  kafkaBrokers: string;
  logLevel: string;
}

/** One process of a Dapr run, next to its own daprd. */
export interface AppSpec {
  appId: string;
  /** The service's entry point, relative to the repository root; the launcher runs its esbuild bundle. */
  entry: string;
  /**
   * Whether daprd reaches the app (--app-port): apps that are invoked or subscribe through Dapr. The gateway only
   * calls out; the decliner consumes Kafka with its own client and only calls out.
   */
  servedBySidecar: boolean;
  /** 'system': the committed dapr-components/; 'partner': components of its own, outside the system's scopes. */
  resources: 'system' | 'partner';
  env(context: AppContext): Record<string, string>;
}

const onDapr = (context: AppContext): Record<string, string> => ({
  SITTER_RUNTIME: 'dapr',
  DAPR_HTTP_PORT: String(context.daprHttpPort),
  PORT: String(context.appPort),
  LOG_LEVEL: context.logLevel,
});

/** The services behind the gateway, started side by side. */
export const serviceApps: readonly AppSpec[] = [
  {
    appId: AppIds.user,
    entry: 'services/user/src/main.ts',
    servedBySidecar: true,
    resources: 'system',
    env: onDapr,
  },
  {
    appId: AppIds.job,
    entry: 'services/job/src/main.ts',
    servedBySidecar: true,
    resources: 'system',
    env: onDapr,
  },
  {
    appId: AppIds.booking,
    entry: 'services/booking/src/main.ts',
    servedBySidecar: true,
    resources: 'system',
    env: onDapr,
  },
  {
    // Reads the declines topic with kafkajs and invokes job through its sidecar (services/decliner/README.md).
    appId: AppIds.decliner,
    entry: 'services/decliner/src/main.ts',
    servedBySidecar: false,
    resources: 'system',
    env: (context) => ({
      KAFKA_BROKERS: context.kafkaBrokers,
      DAPR_HTTP_PORT: String(context.daprHttpPort),
      PORT: String(context.appPort),
      LOG_LEVEL: context.logLevel,
    }),
  },
  {
    appId: PAYMENTS_SANDBOX,
    entry: 'services/payments-sandbox/src/main.ts',
    servedBySidecar: true,
    resources: 'partner',
    env: onDapr,
  },
];

/** The public entry, started once the services are ready; its auth settings come from the launcher. */
export const gatewayApp: AppSpec = {
  appId: AppIds.gateway,
  entry: 'services/gateway/src/main.ts',
  servedBySidecar: false,
  resources: 'system',
  // Subscriptions read the domain events straight from Kafka, a consumer group per gateway process.
  env: (context) => ({ ...onDapr(context), KAFKA_BROKERS: context.kafkaBrokers }),
};
