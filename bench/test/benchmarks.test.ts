import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describeWithInfra, makeTempDir, REPO_ROOT } from '@sitter/infra-harness';

/**
 * Each benchmark run once with tiny numbers, so that none of them rots: it must finish and write (or print) every
 * figure it promises. Nothing here looks at how fast anything was.
 */
const run = promisify(execFile);
const RUN_TIMEOUT_MS = 6 * 60 * 1000;

const runBench = async (script: string, args: string[], env: Record<string, string> = {}) => {
  const { stdout } = await run(process.execPath, ['--require', 'tsx/cjs', script, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    timeout: RUN_TIMEOUT_MS,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
};

const loadFigures = {
  requestsPerSecond: expect.any(Number),
  total: expect.any(Number),
  p50: expect.any(Number),
  p99: expect.any(Number),
  failures: 0,
};

/** What the gateway benchmark writes for every target it ran. */
const targetResult = (processes: string[]) => ({
  getJob: {
    saturated: loadFigures,
    fixedRate: loadFigures,
    oneConnection: { p50: expect.any(Number), p99: expect.any(Number), count: 5 },
  },
  createJob: { saturated: loadFigures },
  cpuMsPerGetJob: Object.fromEntries(processes.map((name) => [name, expect.any(Number)])),
  cpuMsPerGetJobAtFixedRate: Object.fromEntries(processes.map((name) => [name, expect.any(Number)])),
  rssIdle: Object.fromEntries(processes.map((name) => [name, expect.any(Number)])),
  rssAfterLoad: Object.fromEntries(processes.map((name) => [name, expect.any(Number)])),
  loadAverage: expect.any(Array),
});

/** Runs bench/gateway-throughput.ts on `targets` with tiny numbers and returns the results file it wrote. */
const gatewayBench = async (name: string, targets: string) => {
  const resultsDir = makeTempDir('bench-results');
  try {
    const stdout = await runBench('bench/gateway-throughput.ts', [], {
      BENCH_TARGETS: targets,
      BENCH_SECONDS: '1',
      BENCH_CONNECTIONS: '2',
      BENCH_RATE: '20',
      BENCH_SERIAL_CALLS: '5',
      BENCH_NAME: name,
      BENCH_RESULTS_DIR: resultsDir,
    });
    return { stdout, results: JSON.parse(readFileSync(path.join(resultsDir, `${name}.json`), 'utf8')) as unknown };
  } finally {
    rmSync(resultsDir, { recursive: true, force: true });
  }
};

/** Runs bench/growth.ts on one runtime with 200 jobs and returns the results file it wrote. */
const growthBench = async (runtime: string) => {
  const resultsDir = makeTempDir('bench-results');
  try {
    const stdout = await runBench('bench/growth.ts', [], {
      GROWTH_SIZES: '200',
      GROWTH_RUNTIMES: runtime,
      GROWTH_READS: '5',
      GROWTH_NAME: 'smoke-growth',
      GROWTH_RESULTS_DIR: resultsDir,
    });
    return { stdout, results: JSON.parse(readFileSync(path.join(resultsDir, 'smoke-growth.json'), 'utf8')) as unknown };
  } finally {
    rmSync(resultsDir, { recursive: true, force: true });
  }
};

/** What the growth benchmark writes for a runtime it measured: every figure present and positive. */
const growthFigures = (holder: string) => ({
  writeSeconds: expect.any(Number),
  recordsPerSecond: expect.any(Number),
  dataMb: expect.any(Number),
  startupSeconds: expect.any(Number),
  rssAfterStart: expect.objectContaining({ [holder]: expect.any(Number) }),
  rssAfterReads: expect.objectContaining({ [holder]: expect.any(Number) }),
  getJob: { p50: expect.any(Number), p99: expect.any(Number), count: 5 },
  firstPage: { p50: expect.any(Number), p99: expect.any(Number), count: 5 },
  loadAverage: expect.any(Array),
});

/** Sane, not fast: every figure above zero, p50 at most p99, RSS a real process's. */
const expectSaneGrowth = (figures: {
  startupSeconds: number;
  dataMb: number;
  rssAfterStart: Record<string, number>;
  getJob: { p50: number; p99: number };
  firstPage: { p50: number; p99: number };
}) => {
  expect(figures.startupSeconds).toBeGreaterThan(0);
  expect(figures.dataMb).toBeGreaterThan(0);
  for (const mb of Object.values(figures.rssAfterStart)) expect(mb).toBeGreaterThan(1);
  for (const read of [figures.getJob, figures.firstPage]) {
    expect(read.p50).toBeGreaterThan(0);
    expect(read.p50).toBeLessThanOrEqual(read.p99);
  }
};

describe('benchmarks without infrastructure', () => {
  it(
    'when the gateway benchmark runs on the bare server and the embedded system, then it writes every figure of both',
    async () => {
      // Act
      const { stdout, results } = await gatewayBench('smoke-embedded', 'bare,embedded');

      // Assert
      expect(results).toEqual(
        expect.objectContaining({
          name: 'smoke-embedded',
          cores: expect.any(Number),
          targets: { bare: targetResult(['bare']), embedded: targetResult(['system']) },
        }),
      );
      expect(stdout).toMatch(/getJob throughput: dapr \/ embedded n\/a .* embedded \/ bare \d+ %/);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'when the subscription fan-out benchmark runs with 5 subscribers and a burst of 2 jobs, then it writes every figure and each subscriber got each job once',
    async () => {
      // Arrange
      const resultsDir = makeTempDir('bench-results');
      const latency = { p50: expect.any(Number), p99: expect.any(Number), max: expect.any(Number) };

      try {
        // Act
        await runBench('bench/subscription-fanout.ts', [], {
          BENCH_SUBSCRIBERS: '5',
          BENCH_BURST: '2',
          BENCH_NAME: 'smoke-fanout',
          BENCH_RESULTS_DIR: resultsDir,
        });
        const results = JSON.parse(readFileSync(path.join(resultsDir, 'smoke-fanout.json'), 'utf8')) as unknown;

        // Assert
        expect(results).toEqual(
          expect.objectContaining({
            name: 'smoke-fanout',
            secondsUntilAllLive: expect.any(Number),
            deliveries: { expected: 10, received: 10, duplicates: 0 },
            latencyMs: latency,
            latencyFromRequestMs: latency,
            rssMb: {
              beforeConnections: expect.any(Number),
              afterConnections: expect.any(Number),
              perThousandConnections: expect.any(Number),
            },
          }),
        );
      } finally {
        rmSync(resultsDir, { recursive: true, force: true });
      }
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'when the growth benchmark runs with 200 jobs on the embedded system, then it writes every figure and the job records behind them',
    async () => {
      // Act
      const { stdout, results } = await growthBench('embedded');

      // Assert
      const size = (results as { sizes: { runtimes: { embedded: Parameters<typeof expectSaneGrowth>[0] } }[] })
        .sizes[0]!;
      expect(results).toEqual(
        expect.objectContaining({
          name: 'smoke-growth',
          sizes: [
            {
              jobs: 200,
              seed: {
                createSeconds: expect.any(Number),
                createJobsPerSecond: expect.any(Number),
                records: expect.any(Number),
              },
              runtimes: { embedded: growthFigures('system') },
            },
          ],
        }),
      );
      expect((results as { sizes: { seed: { records: number } }[] }).sizes[0]!.seed.records).toBeGreaterThan(200);
      expectSaneGrowth(size.runtimes.embedded);
      expect(stdout).toMatch(/^ +200 embedded +\d+ /m);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'when the embedded store growth benchmark runs with 200 jobs, then it writes the figures of the file-backed and the SQLite store',
    async () => {
      // Arrange
      const resultsDir = makeTempDir('bench-results');
      const read = { p50: expect.any(Number), p99: expect.any(Number), count: 5 };
      const store = {
        writeSeconds: expect.any(Number),
        dataMb: expect.any(Number),
        openMs: expect.any(Number),
        rssBeforeMb: expect.any(Number),
        rssAfterOpenMb: expect.any(Number),
        rssAfterReadsMb: expect.any(Number),
        getJob: read,
        firstPage: read,
      };

      try {
        // Act
        await runBench('bench/embedded-store-growth.ts', [], {
          STORE_GROWTH_SIZES: '200',
          STORE_GROWTH_READS: '5',
          STORE_GROWTH_NAME: 'smoke-store-growth',
          STORE_GROWTH_RESULTS_DIR: resultsDir,
        });
        const results = JSON.parse(readFileSync(path.join(resultsDir, 'smoke-store-growth.json'), 'utf8')) as {
          sizes: { stores: Record<string, { rssAfterOpenMb: number; dataMb: number }> }[];
        };

        // Assert
        expect(results.sizes).toEqual([
          { jobs: 200, records: expect.any(Number), stores: { 'file-backed': store, sqlite: store } },
        ]);
        for (const figures of Object.values(results.sizes[0]!.stores)) {
          expect(figures.rssAfterOpenMb).toBeGreaterThan(1);
          expect(figures.dataMb).toBeGreaterThan(0);
        }
      } finally {
        rmSync(resultsDir, { recursive: true, force: true });
      }
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'when the embedded state store benchmark runs with 200 saves, then it prints a rate for each store',
    async () => {
      // Act
      const stdout = await runBench('bench/embedded-state-store.ts', ['200', '4', '50']);

      // Assert
      for (const store of ['in memory', 'file-backed', 'file-backed, fsync', 'sqlite \\(prototype\\)', 'sqlite, fsync'])
        expect(stdout).toMatch(new RegExp(`^${store} +\\d+ writes/s`, 'm'));
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'when the event type-index benchmark runs on 200 changes, then it prints the rates, conflicts and largest record of each store',
    async () => {
      // Act
      const stdout = await runBench('bench/event-type-index.ts', [
        '--events',
        '200',
        '--writers',
        '4',
        '--latency-ms',
        '0',
      ]);

      // Assert
      for (const store of ['in memory', 'on disk'])
        expect(stdout).toMatch(
          new RegExp(
            `^${store} +\\d+ changes/s +per quarter \\d+ / \\d+ / \\d+ / \\d+ .* gave up 0 .* \\d+\\.\\d KiB$`,
            'm',
          ),
        );
    },
    RUN_TIMEOUT_MS,
  );
});

describeWithInfra(['redis', 'postgres', 'kafka', 'daprd'])('benchmarks on Dapr', () => {
  it(
    'when the gateway benchmark runs on the Dapr system, then it writes its figures, every process and every hop',
    async () => {
      // Act
      const { results } = await gatewayBench('smoke-dapr', 'dapr');

      // Assert
      const infra = ['redis', 'postgres', 'kafka'];
      const processes = [...infra, 'user', 'job', 'booking', 'decliner', 'payments-sandbox', 'gateway'];
      const dapr = targetResult(processes.flatMap((name) => (infra.includes(name) ? [name] : [name, `${name} daprd`])));
      expect(results).toEqual(expect.objectContaining({ targets: { dapr } }));
      const hops = (results as { hops: { name: string; figures: { p50: number } }[] }).hops;
      expect(hops.map((hop) => hop.name)).toEqual([
        'no-op on a sidecar',
        'state get',
        'job app, direct HTTP',
        "through job's daprd",
        'through two sidecars',
        'gateway getJob',
      ]);
      for (const hop of hops) expect(hop.figures.p50).toBeGreaterThan(0);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'when the Dapr read profile runs for a second, then it prints the busiest packages and functions of the gateway and the job app',
    async () => {
      // Act
      const stdout = await runBench('bench/dapr-read-profile.ts', [], { PROFILE_SECONDS: '1', PROFILE_TOP: '3' });

      // Assert
      for (const app of ['gateway', 'job'])
        expect(stdout).toMatch(new RegExp(`^${app} \\(CPU\\..*\\): \\d+ ms busy`, 'm'));
      expect(stdout.match(/top functions by self time:/g)).toHaveLength(2);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'when the decliner benchmark runs on 200 requests, then it writes the decliner, bare consumer, job service and burst figures',
    async () => {
      // Arrange
      const resultsDir = makeTempDir('bench-results');
      const drain = {
        requests: 200,
        startupSeconds: expect.any(Number),
        drainSeconds: expect.any(Number),
        declinesPerSecond: expect.any(Number),
        quarterRates: [expect.any(Number), expect.any(Number), expect.any(Number), expect.any(Number)],
        declinesPerSecondWithStartup: expect.any(Number),
        cpuMsPerDecline: expect.objectContaining({ job: expect.any(Number), 'job daprd': expect.any(Number) }),
      };

      try {
        // Act
        const stdout = await runBench('bench/decliner-throughput.ts', [
          '--requests',
          '200',
          '--burst',
          '50',
          '--name',
          'smoke-decliner',
          '--results-dir',
          resultsDir,
        ]);

        // Assert
        const results = JSON.parse(readFileSync(path.join(resultsDir, 'smoke-decliner.json'), 'utf8')) as unknown;
        expect(results).toEqual(
          expect.objectContaining({
            uptime: { before: expect.stringContaining('load average'), after: expect.stringContaining('load average') },
            setup: { jobs: 13, applications: 650, seedSeconds: expect.any(Number), produceSeconds: expect.any(Number) },
            decliner: {
              ...drain,
              cpuMsPerDecline: expect.objectContaining({ decliner: expect.any(Number) }),
              applicationsDeclined: 200,
            },
            // Every delivery is answered: after a rebalance kafkajs may hand over a batch it had not committed again.
            bare: { ...drain, answers: { 200: expect.any(Number) } },
            ceiling: expect.objectContaining({
              requests: 200,
              declinesPerSecond: expect.any(Number),
              answers: { 200: 200 },
            }),
            burst: {
              requests: 50,
              produceSeconds: expect.any(Number),
              peakLag: expect.any(Number),
              recoverySeconds: expect.any(Number),
              applicationsDeclined: 50,
            },
          }),
        );
        expect((results as { bare: { answers: Record<string, number> } }).bare.answers[200]).toBeGreaterThanOrEqual(
          200,
        );
        expect(stdout).toMatch(/^declines\/s \(from the first one handled\) +\d+ +\d+$/m);
      } finally {
        rmSync(resultsDir, { recursive: true, force: true });
      }
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'when the growth benchmark runs with 200 jobs on the Dapr system, then it writes every figure, PostgreSQL holding the jobs',
    async () => {
      // Act
      const { stdout, results } = await growthBench('dapr');

      // Assert
      expect(results).toEqual(
        expect.objectContaining({
          sizes: [expect.objectContaining({ jobs: 200, runtimes: { dapr: growthFigures('postgres') } })],
        }),
      );
      const size = (results as { sizes: { runtimes: { dapr: Parameters<typeof expectSaneGrowth>[0] } }[] }).sizes[0]!;
      expectSaneGrowth(size.runtimes.dapr);
      expect(size.runtimes.dapr.rssAfterStart).toEqual(
        expect.objectContaining({ job: expect.any(Number), 'job daprd': expect.any(Number) }),
      );
      expect(stdout).toMatch(/^ +200 dapr +\d+ /m);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'when the Dapr state write benchmark runs for a second, then it prints and writes a rate and the CPU per write of every store under both loads',
    async () => {
      // Arrange
      const resultsDir = makeTempDir('bench-results');
      try {
        // Act
        const stdout = await runBench('bench/dapr-state-writes.ts', ['1', '2'], {
          BENCH_NAME: 'smoke-state-writes',
          BENCH_RESULTS_DIR: resultsDir,
        });

        // Assert
        const results = JSON.parse(readFileSync(path.join(resultsDir, 'smoke-state-writes.json'), 'utf8')) as {
          loads: Record<string, Record<string, { cpuMsPerWrite: Record<string, number> }>>;
        };
        const stores = [
          'state.redis + key locks (system)',
          'state.redis alone (not atomic)',
          'state.postgresql, sync commit',
          'state.postgresql, async commit',
          'state.sqlite',
          'embedded journal (no sidecar)',
        ];
        const figures = {
          writesPerSecond: expect.any(Number),
          writes: expect.any(Number),
          p50: expect.any(Number),
          p99: expect.any(Number),
          conflictsRetried: expect.any(Number),
          cpuMsPerWrite: expect.objectContaining({ app: expect.any(Number) }),
          writesPerSecondCpuBound: expect.any(Number),
          loadAverage: expect.any(Array),
        };
        const load = Object.fromEntries(stores.map((store) => [store, figures]));
        expect(results).toEqual(
          expect.objectContaining({
            name: 'smoke-state-writes',
            loads: { 'record + index': load, 'one counter, ETag + retry': load },
          }),
        );
        expect(Object.keys(results.loads['record + index']!['state.postgresql, sync commit']!.cpuMsPerWrite)).toEqual([
          'app',
          'daprd',
          'postgres',
        ]);
        expect(stdout.match(/\d+ writes\/s/g)).toHaveLength(12);
      } finally {
        rmSync(resultsDir, { recursive: true, force: true });
      }
    },
    RUN_TIMEOUT_MS,
  );
});
