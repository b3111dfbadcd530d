// `npm test`: provisioning, the static checks, then every jest test, writing jest's JSON report to reports/jest.json.
// Every check runs under the Node.js of .node-version (the LTS the runtime image uses), which provisioning fetches,
// whatever Node started this script.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

const steps = [
  ['lint', ['npm', 'run', '-s', 'lint']],
  ['typecheck', ['npm', 'run', '-s', 'typecheck']],
  ['architecture rules', ['npm', 'run', '-s', 'depcheck']],
];

const run = (label, [command, ...args], env = process.env) => {
  const started = Date.now();
  console.log(`\n▶ ${label}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  console.log(`${result.status === 0 ? '✔' : '✘'} ${label} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
  return result.status === 0;
};

/** The provisioned Node's bin folder, or undefined (with the reason printed) when it is not there. */
const provisionedNode = () => {
  try {
    return execFileSync('bash', ['scripts/infra/ensure-node.sh', '--path'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
};

const extra = process.argv.slice(2);
// Node, Redis, PostgreSQL, Kafka, kcat, daprd and a Kubernetes control plane for the tests (cached in ~/.cache/sitter; cold,
// daprd took 17 minutes and the control plane 25 more on a busy 2-core machine; warm about a second). Without them those tests fail under CI=true and skip elsewhere, each naming `npm run infra:provision`.
const provisioned = run('provision real infrastructure', ['npm', 'run', '-s', 'infra:provision']);
if (!provisioned && process.env.CI !== 'true') console.log('continuing: the tests that need it will say what to run');

const nodeBin = provisionedNode();
const env = nodeBin ? { ...process.env, PATH: `${nodeBin}${path.delimiter}${process.env.PATH ?? ''}` } : process.env;
const nodeVersion = execFileSync('node', ['--version'], { encoding: 'utf8', env }).trim();
console.log(
  `\nchecks and tests run under Node ${nodeVersion}${nodeBin ? ` (${nodeBin})` : ' (not the provisioned one)'}`,
);

const staticOk = steps.map((step) => run(...step, env)).every(Boolean) && (provisioned || process.env.CI !== 'true');
mkdirSync('reports', { recursive: true });
const jestOk = run('jest', ['npx', 'jest', '--json', '--outputFile=reports/jest.json', ...extra], env);
process.exit(staticOk && jestOk ? 0 : 1);
