import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateSigningKey, signDevToken, startDevIssuer } from '@sitter/dev-issuer';
import { gatewayProtection, protectionConfigSchema, validatedAuthConfigSchema } from '@sitter/gateway';
import { startSystem, type RunningSystem, type SystemOptions } from '../../src';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string; field?: string; [key: string]: unknown } }>;
}

export interface CallOptions {
  token?: string;
  apiKey?: string;
  headers?: Record<string, string>;
}

export const TEST_API_KEY = 'test-api-key';

/** The headers of a GraphQL POST made with these credentials, on any runtime. */
export const graphQLHeaders = (options: CallOptions): Record<string, string> => ({
  'content-type': 'application/json',
  ...options.headers,
  ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
  ...(options.apiKey ? { 'x-api-key': options.apiKey } : {}),
});

/**
 * The whole system in this process, on the in-memory embedded runtime, with a real dev
 * issuer serving its JWKS over HTTP on a free port and tokens signed by its key.
 */
export const startTestSystem = async (
  overrides: {
    apiKeyRateLimit?: number;
    /** The gateway's environment variables: limits, NODE_ENV, CORS_ORIGINS, API_KEY_FAILURE_LIMIT, ... */
    gatewayEnv?: Record<string, string>;
  } & Pick<SystemOptions, 'booking' | 'loggerFor' | 'logLevel' | 'live'> = {},
) => {
  const keyDir = await mkdtemp(join(tmpdir(), 'sitter-e2e-'));
  const issuer = await startDevIssuer({ dataDir: keyDir, port: 0 });
  const key = await loadOrCreateSigningKey(keyDir);
  const auth = validatedAuthConfigSchema.parse({
    JWKS_URI: issuer.jwksUri,
    JWT_ISSUER: issuer.issuer,
    JWT_AUDIENCE: issuer.audience,
    API_KEYS: TEST_API_KEY,
    API_KEY_RATE_LIMIT: String(overrides.apiKeyRateLimit ?? 1000),
    ...overrides.gatewayEnv,
  });
  const system: RunningSystem = await startSystem({
    port: 0,
    host: '127.0.0.1',
    logLevel: overrides.logLevel ?? 'silent',
    auth,
    retry: { maxAttempts: 3, initialBackoffMs: 5, maxBackoffMs: 20 },
    booking: overrides.booking,
    live: overrides.live,
    loggerFor: overrides.loggerFor,
    protection: gatewayProtection(protectionConfigSchema.parse(overrides.gatewayEnv ?? {})),
  });

  const tokenFor = (sub: string, ...roles: string[]) => signDevToken(key, { sub, roles });
  const tokenForWithLifetime = (sub: string, seconds: number, ...roles: string[]) =>
    signDevToken(key, { sub, roles, expiresIn: seconds });

  const gql = async <T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    options: CallOptions = {},
  ): Promise<GraphQLResponse<T>> => {
    const response = await system.yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: graphQLHeaders(options),
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as Omit<GraphQLResponse<T>, 'status'>) };
  };

  const stop = async () => {
    await system.stop();
    await issuer.stop();
    await rm(keyDir, { recursive: true, force: true });
  };

  return { system, gql, tokenFor, tokenForWithLifetime, stop, key, issuer };
};

export type TestSystem = Awaited<ReturnType<typeof startTestSystem>>;

/** What the fixtures need of a system: the GraphQL endpoint and tokens it trusts (any runtime). */
export type GatewayClient = Pick<TestSystem, 'gql' | 'tokenFor'>;

let counter = 0;
/** A username no other test uses. */
export const uniqueName = (prefix: string) => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;

export const errorCodes = (response: GraphQLResponse) => (response.errors ?? []).map((error) => error.extensions?.code);

/**
 * The embedded system as a runtime-neutral driver (support/booking-scenarios.ts, support/authorization-table.ts):
 * waiting for asynchronous work drains its broker, then checks once. A Dapr driver would poll instead.
 */
export const embeddedDriver = (t: TestSystem) => ({
  gql: t.gql,
  tokenFor: t.tokenFor,
  apiKey: TEST_API_KEY,
  eventually: async (check: () => Promise<boolean>, what: string): Promise<void> => {
    await t.system.runtime.broker.drain();
    if (!(await check())) throw new Error(`after every message was handled, still not: ${what}`);
  },
});
