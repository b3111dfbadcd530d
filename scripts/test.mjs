// `npm test`: provisioning, the static checks, then every jest test, writing jest's JSON report to reports/jest.json.
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
// Redis, Kafka, kcat and daprd for the tests that use real infrastructure (cached in ~/.cache/sitter;
// cold about 6-11 minutes, warm about a second). Without them those tests fail under CI=true and
// skip elsewhere, each naming `npm run infra:provision`.
const provisioned = run('provision real infrastructure', ['npm', 'run', '-s', 'infra:provision']);
if (!provisioned && process.env.CI !== 'true') console.log('continuing: the tests that need it will say what to run');
const staticOk = steps.map((step) => run(...step)).every(Boolean) && (provisioned || process.env.CI !== 'true');
mkdirSync('reports', { recursive: true });
const jestOk = run('jest', ['npx', 'jest', '--json', '--outputFile=reports/jest.json', ...extra]);
process.exit(staticOk && jestOk ? 0 : 1);
