import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** The command that installs, fetches and builds everything this package starts. */
export const SETUP_COMMAND = 'npm run infra:provision';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

export type ToolName = 'redis' | 'postgres' | 'kafka' | 'daprd' | 'kube' | 'dapr-inject' | 'chromium';

/** Each tool's provisioning script; `--path` prints where the tool is, or exits non-zero if it is not there. */
const locators: Record<ToolName, string> = {
  redis: 'scripts/infra/ensure-redis.sh',
  postgres: 'scripts/infra/ensure-postgres.sh',
  kafka: 'scripts/infra/ensure-kafka.sh',
  daprd: 'tools/daprd/build.sh',
  kube: 'tools/kube/build.sh',
  'dapr-inject': 'tools/dapr-inject/build.sh',
  chromium: 'scripts/infra/ensure-chromium.sh',
};

export class MissingToolError extends Error {
  constructor(
    readonly tool: ToolName,
    detail: string,
  ) {
    super(`${tool} is not available (${detail}). Run '${SETUP_COMMAND}' first.`);
    this.name = 'MissingToolError';
  }
}

const located = new Map<ToolName, string>();

/**
 * Where a provisioned tool is: the redis-server binary, the folder of PostgreSQL's server binaries (initdb,
 * postgres, pg_isready), the Kafka folder (libs/, config/), the daprd binary or the
 * folder of the Kubernetes control plane's binaries (kube-apiserver, etcd, kwok…), or dapr-inject (Dapr's
 * sidecar injector applied to one Pod, offline).
 * Asks the same script that provisions the tool, so the cache layout is defined in one place. Never installs.
 */
export function locateTool(tool: ToolName): string {
  const known = located.get(tool);
  if (known) return known;
  let found: string;
  try {
    found = execFileSync('bash', [path.join(REPO_ROOT, locators[tool]), '--path'], {
      encoding: 'utf8',
      // Passed explicitly: under jest, the sandbox's process.env is not the one child_process would use.
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new MissingToolError(tool, stderr || (error as Error).message);
  }
  located.set(tool, found);
  return found;
}

/**
 * For test suites that need real infrastructure: undefined when every tool is there, otherwise the reason to skip.
 * With CI=true a missing tool is never a reason to skip: this throws instead, so the suite fails.
 */
export function infraSkipReason(tools: readonly ToolName[] = ['redis', 'kafka', 'daprd']): string | undefined {
  const problems: string[] = [];
  for (const tool of tools) {
    try {
      locateTool(tool);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (problems.length === 0) return undefined;
  if (process.env.CI === 'true') {
    throw new Error(`CI=true and real infrastructure is missing:\n${problems.join('\n')}`);
  }
  return `skipped: real infrastructure is missing (${tools.join(', ')}); run '${SETUP_COMMAND}' to set it up.\n${problems.join('\n')}`;
}

/**
 * `describe` for a suite that needs these tools: `describe.skip` with the reason printed when one is missing
 * outside CI; with CI=true infraSkipReason throws, so the suite fails instead.
 */
export function describeWithInfra(tools: readonly ToolName[]): jest.Describe {
  const reason = infraSkipReason(tools);
  if (!reason) return describe;
  process.stderr.write(`${reason}\n`);
  return describe.skip;
}
