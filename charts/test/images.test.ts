import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './support/tools';

/**
 * No Docker engine runs here, so the image builds are checked in parts: the Dockerfile's shape, and its esbuild
 * step run for real on every service that skaffold builds.
 */
const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
const dockerignore = readFileSync(join(repoRoot, '.dockerignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim());
const skaffoldServices = [
  ...new Set(
    [...readFileSync(join(repoRoot, 'skaffold.yaml'), 'utf8').matchAll(/SERVICE: ([\w-]+)/g)].map((match) => match[1]),
  ),
];

interface Stage {
  name: string;
  lines: string[];
}

const stages: Stage[] = dockerfile
  .replace(/\\\n\s*/g, ' ')
  .split('\n')
  .reduce<Stage[]>((found, line) => {
    const from = /^FROM\s+\S+\s+AS\s+(\S+)/i.exec(line);
    if (from) return [...found, { name: from[1], lines: [] }];
    if (found.length > 0 && line.trim() && !line.trim().startsWith('#'))
      found[found.length - 1].lines.push(line.trim());
    return found;
  }, []);

const stage = (name: string): Stage => {
  const found = stages.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`the Dockerfile has no stage ${name}`);
  return found;
};

/** The esbuild command of the build stage, for one service, writing to `outDir`. */
const esbuildArgs = (service: string, outDir: string): string[] => {
  const run = stage('build').lines.find((line) => line.includes('esbuild'));
  if (!run) throw new Error('the build stage runs no esbuild');
  const words = run
    .replace(/^RUN\s+/, '')
    .replace(/"/g, '')
    .split(/\s+/);
  return words
    .slice(1)
    .map((word) => word.replace('${SERVICE}', service).replace(/^--outfile=\/out\//, `--outfile=${outDir}/`));
};

describe('Dockerfile', () => {
  it('when the runtime image starts, then it runs the bundle with node as a numeric non-root user', () => {
    const runtime = stages[stages.length - 1];
    const user = runtime.lines.find((line) => line.startsWith('USER'));

    expect(runtime.name).toBe('runtime');
    expect(user).toMatch(/^USER [1-9]\d*:[1-9]\d*$/);
    expect(runtime.lines).toContain('ENTRYPOINT ["node", "main.js"]');
    expect(runtime.lines.some((line) => line.startsWith('COPY --from=build'))).toBe(true);
    expect(runtime.lines.some((line) => /npm (ci|install)/.test(line))).toBe(false);
  });

  it('when skaffold dev builds the dev stage, then it runs tsx watch as a numeric non-root user', () => {
    const dev = stage('dev');

    expect(dev.lines.find((line) => line.startsWith('USER'))).toMatch(/^USER [1-9]\d*:[1-9]\d*$/);
    expect(dev.lines.find((line) => line.startsWith('CMD'))).toContain('tsx watch');
  });

  it('when the build context is sent, then node_modules, git history and local data stay out of it', () => {
    expect(dockerignore).toEqual(expect.arrayContaining(['**/node_modules', '.git', '.data', '.env']));
    expect(dockerignore).not.toContain('package-lock.json');
  });

  it.each(skaffoldServices)(
    'when the build stage bundles %s, then esbuild writes one JavaScript file from its main.ts',
    (service) => {
      const outDir = mkdtempSync(join(tmpdir(), `sitter-bundle-${service}-`));
      try {
        const result = spawnSync(join(repoRoot, 'node_modules/.bin/esbuild'), esbuildArgs(service, outDir), {
          cwd: repoRoot,
          encoding: 'utf8',
        });

        expect(result.stderr).not.toMatch(/✘ \[ERROR\]/);
        expect(result.status).toBe(0);
        expect(existsSync(join(outDir, 'main.js'))).toBe(true);
        expect(statSync(join(outDir, 'main.js')).size).toBeGreaterThan(1000);
      } finally {
        rmSync(outDir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
