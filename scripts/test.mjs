// `npm test`: the static checks, then every jest test, writing jest's JSON report to reports/jest.json.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

const steps = [
  ['lint', ['npm', 'run', '-s', 'lint']],
  ['typecheck', ['npm', 'run', '-s', 'typecheck']],
  ['architecture rules', ['npm', 'run', '-s', 'depcheck']],
];

const run = (label, [command, ...args]) => {
  const started = Date.now();
  console.log(`\n▶ ${label}`);
  const result = spawnSync(command, args, { stdio: 'inherit' });
  console.log(`${result.status === 0 ? '✔' : '✘'} ${label} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
  return result.status === 0;
};

const extra = process.argv.slice(2);
const staticOk = steps.map((step) => run(...step)).every(Boolean);
mkdirSync('reports', { recursive: true });
const jestOk = run('jest', ['npx', 'jest', '--json', '--outputFile=reports/jest.json', ...extra]);
process.exit(staticOk && jestOk ? 0 : 1);
