import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';

/** One load run's figures; latencies in milliseconds. */
export interface LoadFigures {
  requestsPerSecond: number;
  /** Requests answered in the run. */
  total: number;
  p50: number;
  p99: number;
  failures: number;
}

export interface LoadShape {
  connections: number;
  seconds: number;
  /** Requests per second over all connections; unset = as fast as the server answers (saturated). */
  rate?: number;
}

/** A GraphQL POST repeated by autocannon. */
export interface GraphqlRequest {
  url: string;
  query: string;
  variables: unknown;
  headers: Record<string, string>;
}

export const graphqlLoad = async (request: GraphqlRequest, shape: LoadShape): Promise<LoadFigures> => {
  const result = await autocannon({
    url: request.url,
    method: 'POST',
    connections: shape.connections,
    duration: shape.seconds,
    ...(shape.rate === undefined ? {} : { overallRate: shape.rate }),
    headers: { 'content-type': 'application/json', ...request.headers },
    body: JSON.stringify({ query: request.query, variables: request.variables }),
  });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.errors + result.non2xx,
  };
};

export const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** Latency of one call made `count` times in a row on one keep-alive connection (after a few warm-up calls). */
export interface SerialFigures {
  p50: number;
  p99: number;
  count: number;
}

export const serialLatency = async (call: () => Promise<void>, count: number): Promise<SerialFigures> => {
  for (let i = 0; i < Math.min(20, count); i++) await call();
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await call();
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return { p50: round(percentile(latencies, 50)), p99: round(percentile(latencies, 99)), count };
};

/** A fetch that must answer 2xx; the body is read (so the connection is reused) and dropped. */
export const fetchOk = async (url: string, init: RequestInit = {}): Promise<void> => {
  const response = await fetch(url, init);
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status}: ${text}`);
};
