/**
 * `npm run infra:provision`: installs, fetches and builds what the real-infrastructure runs need, all pinned and
 * cached outside the clone (~/.cache/sitter, or $SITTER_CACHE_DIR):
 *   debian  the Debian packages a bare machine lacks (redis-server, kcat, maven, Java 17), in one apt transaction
 *   postgres  Debian's postgresql (initdb, postgres under /usr/lib/postgresql/<version>/bin), for the
 *           state.postgresql state store; its own apt transaction, after the debian step's (one apt lock)
 *   kafka   Apache Kafka's jars from Maven Central (tools/kafka/pom.xml), once Maven and Java are there
 *   daprd   Dapr's sidecar, built from the Go module proxy (tools/daprd)
 *   kube    a Kubernetes control plane (kube-apiserver, etcd, controller manager, scheduler, kwok), built from the
 *           Go module proxy (tools/kube) after daprd, so the two long builds do not share the cores
 *   inject  dapr-inject: Dapr's sidecar injector code applied to one Pod offline (tools/dapr-inject), after daprd,
 *           whose compiled packages it mostly reuses
 *   node    the Node.js LTS of .node-version, from the npm registry, that `npm test` runs everything under
 * Steps run side by side unless one needs another (`after`); the daprd build is the long one. A warm run only checks
 * the caches.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@sitter/infra-harness/tools';
import { cacheDir, elapsed, log } from './progress';

interface Step {
  name: string;
  script: string;
  /** A step whose result this one needs; it starts when that one has succeeded. */
  after?: string;
  /** Turns a line of the step's output into a progress counter, if it is one. */
  count?: (line: string) => 'download' | 'compile' | undefined;
}

/** Counts a Go build's downloads and compiled packages. */
function goBuildProgress(line: string): 'download' | 'compile' | undefined {
  if (line.startsWith('go: downloading')) return 'download';
  // `go build -v` names each package as it is compiled.
  if (/^[\w.-]+(\/[\w.~+-]+)+$/.test(line) || /^[\w-]+$/.test(line)) return 'compile';
  return undefined;
}

const steps: Step[] = [
  { name: 'debian', script: 'scripts/infra/ensure-debian.sh' },
  { name: 'postgres', script: 'scripts/infra/ensure-postgres.sh' },
  { name: 'kafka', script: 'scripts/infra/ensure-kafka.sh', after: 'debian' },
  { name: 'daprd', script: 'tools/daprd/build.sh', count: goBuildProgress },
  { name: 'kube', script: 'tools/kube/build.sh', after: 'daprd', count: goBuildProgress },
  { name: 'inject', script: 'tools/dapr-inject/build.sh', after: 'daprd', count: goBuildProgress },
  { name: 'node', script: 'scripts/infra/ensure-node.sh' },
];

const HEARTBEAT_MS = 30_000;

interface StepResult {
  ok: boolean;
  result: string;
  seconds: string;
}

function runStep(step: Step, logDir: string): Promise<StepResult> {
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
        if (/^(ensure-\w+|daprd v|kube v|dapr-inject v)/.test(line))
          log(`  ${step.name}: ${line.replace(/^ensure-\w+: /, '')}`);
      }
    });
    child.on('close', (code) => {
      clearInterval(heartbeat);
      logStream.end();
      const ok = code === 0;
      // A failing script's last line is its cause (each ends with `die "<why>"`, apt's own error line included).
      const cause = tail.filter((line) => line.trim() !== '').pop() ?? `exit ${code}`;
      const result = { ok, result: ok ? (stdout.trim().split('\n').pop() ?? '') : cause, seconds: elapsed(started) };
      log(`${ok ? '✔' : '✘'} ${step.name.padEnd(8)} ${result.seconds.padStart(7)}  ${result.result}`);
      if (!ok) log(`  ${step.name} failed (exit ${code}); full log in ${logFile}`);
      resolve(result);
    });
  });
}

export async function provision(): Promise<boolean> {
  const started = Date.now();
  const logDir = path.join(cacheDir(), 'logs');
  mkdirSync(logDir, { recursive: true });
  log(`▶ provisioning ${steps.map((s) => s.name).join(', ')} (cache: ${cacheDir()})`);
  const running = new Map<string, Promise<StepResult>>();
  const start = (step: Step): Promise<StepResult> => {
    const needed = step.after === undefined ? undefined : running.get(step.after);
    if (!needed) return runStep(step, logDir);
    return needed.then((before) => {
      if (before.ok) return runStep(step, logDir);
      log(`✘ ${step.name.padEnd(8)} not run: ${step.after} failed`);
      return { ok: false, result: `${step.after} failed`, seconds: '0s' };
    });
  };
  for (const step of steps) running.set(step.name, start(step));
  const results = await Promise.all(running.values());
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
