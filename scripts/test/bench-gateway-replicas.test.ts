import { describeWithInfra } from '@sitter/infra-harness';
import { gatewayAtReplicas, rateLimitCost } from '../../bench/gateway-replicas';

const FIGURES = /\s[1-9]\d* (charges|req)\/s .*p99/;

// A smoke run: the benchmark still runs end to end. Its figures are printed by `npx tsx bench/gateway-replicas.ts`.
describeWithInfra(['redis', 'kafka', 'daprd'])('bench/gateway-replicas.ts, a tiny run', () => {
  it('when the rate-limit cost is measured for a moment, then it prints a figure for memory and for Redis, alone and concurrent', async () => {
    const lines = await rateLimitCost({ seconds: 0.2, connections: 4 });

    expect(lines).toHaveLength(4);
    expect(lines.every((line) => FIGURES.test(line))).toBe(true);
  });

  it('when the gateway on dev:dapr is loaded for a second, then it prints throughput and p99 of both loads with no failures', async () => {
    const lines = await gatewayAtReplicas(1, { seconds: 1, connections: 2 });

    expect(lines).toHaveLength(2);
    expect(lines.every((line) => FIGURES.test(line) && line.endsWith('failures 0'))).toBe(true);
  }, 240_000);
});
