import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { freePort, launch, makeTempDir, waitUntilReady, type ManagedProcess } from '@sitter/infra-harness';
import { REPO_ROOT } from '@sitter/infra-harness/tools';

/**
 * The image's install and bundle steps without Docker: the Dockerfile's own RUN lines, under the Node the image
 * uses, in a copy of the build context as .dockerignore leaves it; then its ENTRYPOINT, as the runtime stage runs
 * it, on nothing but the bundle.
 */

/** The service bundled and started: it starts alone on the embedded runtime with no other configuration. */
const SERVICE = 'user';
const STEP_TIMEOUT_MS = 8 * 60 * 1000;

interface Stage {
  name: string;
  /** Each RUN's shell command, continuation lines joined. */
  runs: string[];
  env: Record<string, string>;
  entrypoint?: string[];
}

const dockerfileStages = (dockerfile: string): Stage[] => {
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim() && !line.trimStart().startsWith('#'));
  const stages: Stage[] = [];
  for (const line of instructions) {
    const [, keyword = '', rest = ''] = /^\s*(\w+)\s+(.*)$/.exec(line) ?? [];
    const stage = stages.at(-1);
    if (keyword === 'FROM') {
      stages.push({ name: /\bAS\s+(\S+)/i.exec(rest)?.[1] ?? '', runs: [], env: {} });
    } else if (keyword === 'RUN' && stage) {
      stage.runs.push(rest.trim());
    } else if (keyword === 'ENV' && stage) {
      for (const [, key, value] of rest.matchAll(/(\w+)=(\S+)/g)) stage.env[key] = value;
    } else if (keyword === 'ENTRYPOINT' && stage) {
      stage.entrypoint = JSON.parse(rest) as string[];
    }
  }
  return stages;
};

/** Docker's matching: a pattern excludes a path when it matches the path or one of its parent folders. */
const dockerIgnored = (patterns: string[]) => (file: string) => {
  const parts = file.split('/');
  return parts.some((_, index) => {
    const prefix = parts.slice(0, index + 1).join('/');
    return patterns.some((pattern) => path.matchesGlob(prefix, pattern));
  });
};

/** The build context: the files git knows (tracked, or new and not ignored) minus what .dockerignore leaves out. */
const copyBuildContext = (into: string): number => {
  const patterns = readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  if (patterns.some((pattern) => pattern.startsWith('!'))) {
    throw new Error('.dockerignore has exceptions (!pattern), which this copy does not implement');
  }
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  const ignored = dockerIgnored(patterns);
  const files = listed.stdout
    .split('\0')
    .filter((file) => file && !ignored(file) && existsSync(path.join(REPO_ROOT, file)));
  for (const file of files) {
    mkdirSync(path.dirname(path.join(into, file)), { recursive: true });
    cpSync(path.join(REPO_ROOT, file), path.join(into, file));
  }
  return files.length;
};

/** The Node the image is built on, as `npm test` provisions it; its npm is the one the image's `npm ci` runs. */
const imageNodeBin = (): string => {
  const found = spawnSync('bash', [path.join(REPO_ROOT, 'scripts/infra/ensure-node.sh'), '--path'], {
    encoding: 'utf8',
  });
  if (found.status !== 0) throw new Error(`the image's Node is not provisioned: ${found.stderr.trim()}`);
  return found.stdout.trim();
};

interface StepResult {
  command: string;
  status: number | null;
  output: string;
  seconds: number;
}

describe('the image, built without Docker', () => {
  const stages = dockerfileStages(readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8'));
  const stage = (name: string) => stages.find((candidate) => candidate.name === name);
  let dir: string;
  let outDir: string;
  let runtimeDir: string;
  let steps: StepResult[] = [];
  let service: ManagedProcess | undefined;

  beforeAll(() => {
    dir = makeTempDir('image-build');
    const context = path.join(dir, 'app');
    outDir = path.join(dir, 'out');
    runtimeDir = path.join(dir, 'runtime');
    mkdirSync(context);
    mkdirSync(runtimeDir);
    const copied = copyBuildContext(context);
    // npm's own variables (npm test runs jest through npm) would steer the image's npm ci; Docker has none.
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
    env.PATH = `${imageNodeBin()}${path.delimiter}${process.env.PATH ?? ''}`;
    env.SERVICE = SERVICE;
    // Each RUN of the deps and build stages as `sh -c` runs it; npm's cache is reused, and /out is a temporary one.
    const commands = [...(stage('deps')?.runs ?? []), ...(stage('build')?.runs ?? [])].map((run) =>
      run.replace(/\bnpm ci\b/, 'npm ci --prefer-offline').replace(/(^|[\s=])\/out\//g, `$1${outDir}/`),
    );
    steps = [{ command: `copy the build context (${copied} files)`, status: 0, output: '', seconds: 0 }];
    for (const command of commands) {
      const started = Date.now();
      const result = spawnSync('sh', ['-c', command], {
        cwd: context,
        env,
        encoding: 'utf8',
        timeout: STEP_TIMEOUT_MS,
        maxBuffer: 64 << 20,
      });
      steps.push({
        command,
        status: result.status,
        output: `${result.stdout}${result.stderr}${result.error ? result.error.message : ''}`.slice(-4000),
        seconds: Math.round((Date.now() - started) / 1000),
      });
      if (result.status !== 0) break;
    }
    // COPY --from=build /out/ ./ : the runtime stage holds the bundle and nothing else.
    if (existsSync(outDir)) cpSync(outDir, runtimeDir, { recursive: true });
  }, 2 * STEP_TIMEOUT_MS);

  afterAll(async () => {
    await service?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('when the deps and build stages’ RUN lines run under the image’s Node, then npm ci and the esbuild bundle succeed', () => {
    // Assert
    const failed = steps.filter((step) => step.status !== 0);
    expect(failed).toEqual([]);
    expect(steps.map((step) => step.command)).toEqual([
      expect.stringMatching(/^copy the build context/),
      expect.stringMatching(/^npm ci /),
      expect.stringMatching(/^test -n "\$\{SERVICE\}"/),
      expect.stringContaining('node_modules/.bin/esbuild "services/${SERVICE}/src/main.ts"'),
    ]);
    expect(readdirSync(runtimeDir)).toEqual(['main.js']);
  });

  it('when the runtime stage’s ENTRYPOINT starts the bundled service on the embedded runtime, then /healthz answers 200', async () => {
    // Arrange
    const runtime = stage('runtime');
    const [command, ...args] = runtime?.entrypoint ?? [];
    const port = await freePort();
    const healthz = `http://127.0.0.1:${port}/healthz`;

    // Act
    service = launch(`bundled ${SERVICE}`, path.join(imageNodeBin(), command ?? 'missing-entrypoint'), args, {
      cwd: runtimeDir,
      env: {
        PATH: process.env.PATH,
        ...runtime?.env,
        // The image's default is Dapr; alone, without a sidecar, the service runs embedded.
        SITTER_RUNTIME: 'embedded',
        PORT: String(port),
        DATA_DIR: path.join(dir, 'data'),
      },
    });
    await waitUntilReady(service, 'GET /healthz', async () => (await fetch(healthz)).ok, 30_000);
    const response = await fetch(healthz);

    // Assert
    expect(runtime?.entrypoint).toEqual(['node', 'main.js']);
    expect(runtime?.env.NODE_ENV).toBe('production');
    expect(response.status).toBe(200);
  }, 60_000);
});
