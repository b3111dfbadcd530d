import {
  chartDir,
  daprCrdFiles,
  ensureTools,
  helm,
  problems,
  productionValues,
  renderChart,
  validateManifests,
} from './support/tools';
import type { Tools } from './support/tools';
import { TOOL_INSTALL_TIMEOUT_MS } from './support/tools';

describe('charts/sitter rendering', () => {
  let tools: Tools;

  beforeAll(() => {
    tools = ensureTools();
  }, TOOL_INSTALL_TIMEOUT_MS);

  const variants: [string, string[], Record<string, string>][] = [
    ['the default values', [], {}],
    ['values-production.yaml', [productionValues], {}],
    ['the decliner enabled', [], { 'decliner.enabled': 'true' }],
  ];

  it.each(variants)('when linted with %s, then helm lint --strict passes', (_label, valuesFiles, set) => {
    const args = ['lint', chartDir, '--strict', ...valuesFiles.flatMap((file) => ['--values', file])];
    for (const [key, value] of Object.entries(set)) args.push('--set', `${key}=${value}`);

    const result = helm(tools, args);

    expect(`${result.stdout}${result.stderr}`).toContain('0 chart(s) failed');
    expect(result.status).toBe(0);
  });

  it.each(variants)(
    'when rendered with %s, then every object is valid for Kubernetes and the Dapr CRDs',
    (_label, valuesFiles, set) => {
      const rendered = renderChart(tools, { valuesFiles, set });

      const results = validateManifests(tools, ['-'], daprCrdFiles(tools), rendered.yaml);

      expect(problems(results)).toEqual([]);
      expect(results.length).toBe(rendered.objects.length);
      expect(results.map((result) => result.kind)).toEqual(
        expect.arrayContaining(['Deployment', 'Component', 'Subscription', 'Configuration', 'Resiliency']),
      );
    },
  );

  it('when a value breaks values.schema.json, then rendering fails and names the value', () => {
    const result = helm(tools, ['template', 'sitter', chartDir, '--set', 'job.allowedCallers[0]=nobody']);

    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('/job/allowedCallers/0');
  });

  it('when the lock store is named none, then rendering fails, since the services would read it as no locks at all', () => {
    const result = helm(tools, ['template', 'sitter', chartDir, '--set', 'dapr.lockStore.name=none']);

    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('/dapr/lockStore/name');
  });

  it('when the gateway has neither a JWKS URI nor a public key, then rendering fails with the reason', () => {
    const result = helm(tools, ['template', 'sitter', chartDir, '--set', 'gateway.auth.jwksUri=']);

    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('set jwksUri or publicKey');
  });

  it('when a Dapr resource has a misspelt field, then the CRD validation reports it', () => {
    const rendered = renderChart(tools);
    const broken = rendered.yaml.replace('deadLetterTopic:', 'deadLetterTopik:');

    const results = validateManifests(tools, ['-'], daprCrdFiles(tools), broken);

    expect(problems(results).join('\n')).toContain("'deadLetterTopik' was unexpected");
  });
});
