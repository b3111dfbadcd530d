/**
 * `npm run infra:provision`: installs, fetches and builds what the real-infrastructure runs need, all pinned and
 * cached outside the clone (~/.cache/sitter, or $SITTER_CACHE_DIR):
 *   redis   Debian's redis-server (apt-get, only when missing)
 *   kcat    Debian's kcat, for the decliner's producer example (apt-get, only when missing)
 *   kafka   Apache Kafka's jars from Maven Central (tools/kafka/pom.xml)
 *   daprd   Dapr's sidecar, built from the Go module proxy (tools/daprd)
 * The three run side by side; the daprd build is the long one. A warm run only checks the caches.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../packages/infra-harness/src/tools';
import { cacheDir, elapsed, log } from './progress';

interface Step {
  name: string;
  script: string;
  /** Turns a line of the step's output into a progress counter, if it is one. */
  count?: (line: string) => 'download' | 'compile' | undefined;
}

const steps: Step[] = [
  { name: 'redis', script: 'scripts/infra/ensure-redis.sh' },
  { name: 'kcat', script: 'scripts/infra/ensure-kcat.sh' },
  { name: 'kafka', script: 'scripts/infra/ensure-kafka.sh' },
  {
    name: 'daprd',
    script: 'tools/daprd/build.sh',
    count: (line) => {
      if (line.startsWith('go: downloading')) return 'download';
      // `go build -v` names each package as it is compiled.
      if (/^[\w.-]+(\/[\w.~+-]+)+$/.test(line) || /^[\w-]+$/.test(line)) return 'compile';
      return undefined;
    },
  },
];

const HEARTBEAT_MS = 30_000;

function runStep(step: Step, logDir: string): Promise<{ ok: boolean; result: string; seconds: string }> {
  const started = Date.now();
  const logFile = path.join(logDir, `provision-${step.name}.log`);
  const logStream = createWriteStream(logFile);
  const tail: string[] = [];
  const counts = { download: 0, compile: 0 };
  let stdout = '';

  return new Promise((resolve) => {
    const child = spawn('bash', [path.join(REPO_ROOT, step.script)], {
      cwd: REPO_ROOT,
      env: { ...process.env, SITTER_GO_BUILD_VERBOSE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const heartbeat = setInterval(() => {
      const progress = step.count ? `: ${counts.download} modules downloaded, ${counts.compile} packages compiled` : '';
      log(`  … ${step.name} still working (${elapsed(started)})${progress}`);
    }, HEARTBEAT_MS);

    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      logStream.write(chunk);
    });
    let partial = '';
    child.stderr.on('data', (chunk: Buffer) => {
      logStream.write(chunk);
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const kind = step.count?.(line);
        if (kind) {
          counts[kind]++;
          continue;
        }
        tail.push(line);
        if (tail.length > 40) tail.shift();
        // The scripts' own messages ("installing…", "building…") are the progress worth showing.
        if (/^(ensure-\w+|daprd v)/.test(line)) log(`  ${step.name}: ${line.replace(/^ensure-\w+: /, '')}`);
      }
    });
    child.on('close', (code) => {
      clearInterval(heartbeat);
      logStream.end();
      const ok = code === 0;
      const result = { ok, result: stdout.trim().split('\n').pop() ?? '', seconds: elapsed(started) };
      log(`${ok ? '✔' : '✘'} ${step.name.padEnd(6)} ${result.seconds.padStart(7)}  ${result.result}`);
      if (!ok) log(`  ${step.name} failed (exit ${code}); last output, full log in ${logFile}:\n${tail.join('\n')}`);
      resolve(result);
    });
  });
}

export async function provision(): Promise<boolean> {
  const started = Date.now();
  const logDir = path.join(cacheDir(), 'logs');
  mkdirSync(logDir, { recursive: true });
  log(`▶ provisioning redis, kafka and daprd (cache: ${cacheDir()})`);
  const results = await Promise.all(steps.map((step) => runStep(step, logDir)));
  const ok = results.every((r) => r.ok);
  log(`${ok ? '✔' : '✘'} provisioning ${ok ? 'done' : 'failed'} in ${elapsed(started)}`);
  return ok;
}

if (require.main === module) {
  provision().then(
    (ok) => process.exit(ok ? 0 : 1),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
