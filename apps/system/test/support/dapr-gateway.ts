import { loadOrCreateSigningKey, signDevToken } from '@sitter/dev-issuer';
import type { RunningDaprSystem } from '../../src/dapr/launcher';
import { graphQLHeaders, type CallOptions, type GatewayClient, type GraphQLResponse } from './harness';

/** How long asynchronous work (payments over Kafka, declines) may take to show before a test gives up waiting. */
export const SETTLE_MS = 60_000;

/** Polls read() until done() holds or `timeoutMs` pass, and returns the last value: the caller asserts on it. */
export async function settled<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = SETTLE_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read().catch(() => undefined as T);
    if ((value !== undefined && done(value)) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * The gateway of a Dapr run, over HTTP, with tokens signed by the run's dev issuer key (in its data dir): its first
 * instance, or the one at `url` (one of system.urls).
 */
export const daprGatewayClient = async (
  system: RunningDaprSystem,
  dataDir: string,
  url: string = system.url,
): Promise<GatewayClient> => {
  const key = await loadOrCreateSigningKey(dataDir);
  return {
    tokenFor: (sub, ...roles) => signDevToken(key, { sub, roles }),
    gql: async <T = Record<string, unknown>>(
      query: string,
      variables: Record<string, unknown> = {},
      options: CallOptions = {},
    ): Promise<GraphQLResponse<T>> => {
      const response = await fetch(url, {
        method: 'POST',
        headers: graphQLHeaders(options),
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...((await response.json()) as Omit<GraphQLResponse<T>, 'status'>) };
    },
  };
};

/** One client per gateway instance of a run started with replicas, by instance. */
export const daprGatewayClients = (system: RunningDaprSystem, dataDir: string): Promise<GatewayClient[]> =>
  Promise.all(system.urls.map((url) => daprGatewayClient(system, dataDir, url)));

/** One client over several gateway instances: each call goes to the next instance in turn. */
export const alternating = (clients: readonly GatewayClient[]): GatewayClient => {
  let next = 0;
  return {
    tokenFor: clients[0].tokenFor,
    gql: (query, variables, options) => {
      const client = clients[next % clients.length];
      next += 1;
      return client.gql(query, variables, options);
    },
  };
};
