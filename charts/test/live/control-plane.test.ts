import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describeWithInfra, locateTool, startKubeControlPlane, type KubeControlPlane } from '@sitter/infra-harness';
import { ofKind, type Deployment, type Manifest, type Pod } from '../support/manifests';
import {
  chartDir,
  daprCrdFiles,
  devClusterDir,
  ensureKubectl,
  ensureTools,
  parseYaml,
  productionValues,
  renderChart,
  repoRoot,
  TOOL_INSTALL_TIMEOUT_MS,
  type Tools,
} from '../support/tools';

/**
 * The chart against a live Kubernetes API server (tools/kube: etcd, kube-apiserver, controller manager, scheduler
 * and kwok's fake nodes, on loopback). What it proves: the API server accepts every object, Pod Security
 * "restricted" admits every Pod, Deployments roll out (Pods scheduled and reported Ready), upgrades and uninstalls
 * leave nothing behind, and Dapr's injector (its own patch code, run offline by tools/dapr-inject with the settings
 * k8s/dapr-values.yaml gives it) adds a daprd that restricted admits. What it cannot: no container runs, so no image,
 * probe or sidecar is exercised here.
 */
const describeLive = describeWithInfra(['kube', 'dapr-inject']);

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Kinds the chart creates, as kubectl names them, for "nothing left behind". */
const CHART_KINDS = [
  'deployments',
  'services',
  'serviceaccounts',
  'configmaps',
  'secrets',
  'poddisruptionbudgets',
  'networkpolicies',
  'horizontalpodautoscalers',
  'ingresses',
  'pods',
  'components.dapr.io',
  'configurations.dapr.io',
  'subscriptions.dapr.io',
  'resiliencies.dapr.io',
].join(',');

/** The last value of `read`, once `done` holds for it or 60 s have passed. */
const eventually = async <T>(read: () => T, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
};

type EnvVar = { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } };

/** The environment Dapr's chart, with k8s/dapr-values.yaml, gives its sidecar injector. */
const injectorEnvironment = (tools: Tools): Record<string, string> => {
  const rendered = spawnSync(
    tools.helm,
    [
      'template',
      'dapr',
      join(tools.schemas, 'dapr-chart'),
      '--namespace',
      'dapr-system',
      '--values',
      join(devClusterDir, 'dapr-values.yaml'),
      '--show-only',
      'charts/dapr_sidecar_injector/templates/dapr_sidecar_injector_deployment.yaml',
    ],
    { encoding: 'utf8' },
  );
  const [deployment] = parseYaml<Deployment>(tools, rendered.stdout);
  const env = (deployment.spec.template.spec.containers[0].env ?? []) as EnvVar[];
  return Object.fromEntries(
    env.map((variable) => [
      variable.name,
      variable.valueFrom?.fieldRef?.fieldPath === 'metadata.namespace' ? 'dapr-system' : (variable.value ?? ''),
    ]),
  );
};

describeLive('charts/sitter on a live control plane', () => {
  let cluster: KubeControlPlane;
  let tools: Tools;
  let kubectlPath: string;

  const run = (command: string, args: string[], input?: string): Run => {
    const result = spawnSync(command, args, {
      cwd: repoRoot,
      encoding: 'utf8',
      input,
      timeout: 240_000,
      env: { ...process.env, KUBECONFIG: cluster.kubeconfig, HELM_CACHE_HOME: join(cluster.kubeconfig, '..', 'helm') },
    });
    return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
  };
  const kubectl = (args: string[], input?: string) => run(kubectlPath, args, input);
  const helm = (args: string[]) => run(tools.helm, args);
  const ok = (result: Run, what: string): string => {
    if (result.status !== 0) throw new Error(`${what} failed (${result.status}):\n${result.stderr}\n${result.stdout}`);
    return result.stdout;
  };
  const getJson = <T>(args: string[]): T =>
    JSON.parse(ok(kubectl([...args, '-o', 'json']), `kubectl ${args.join(' ')}`)) as T;

  /** A namespace whose Pods must meet Pod Security "restricted" (enforced, not only warned about). */
  const restrictedNamespace = (name: string) =>
    ok(
      kubectl(
        ['apply', '-f', '-'],
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: {
            name,
            labels: {
              'pod-security.kubernetes.io/enforce': 'restricted',
              'pod-security.kubernetes.io/enforce-version': 'latest',
            },
          },
        }),
      ),
      `namespace ${name}`,
    );

  const releaseObjects = (namespace: string, release: string): string[] =>
    ok(
      kubectl(['get', CHART_KINDS, '-n', namespace, '-l', `app.kubernetes.io/instance=${release}`, '-o', 'name']),
      'listing the release',
    )
      .split('\n')
      .filter(Boolean);

  const expectRolledOut = (namespace: string, release: string, valuesFiles: string[]) => {
    const expected = ofKind<Deployment>(renderChart(tools, { release, namespace, valuesFiles }).objects, 'Deployment');
    const deployments = getJson<{ items: Deployment[] }>(['get', 'deployments', '-n', namespace]).items;
    const pods = getJson<{
      items: (Pod & { status: { phase: string; conditions?: { type: string; status: string }[] } })[];
    }>(['get', 'pods', '-n', namespace, '-l', `app.kubernetes.io/instance=${release}`]).items.filter(
      (pod) => !pod.metadata.annotations?.['helm.sh/hook'],
    );

    expect(deployments.map((deployment) => deployment.metadata.name).sort()).toEqual(
      expected.map((deployment) => deployment.metadata.name).sort(),
    );
    for (const deployment of deployments) {
      const status = (deployment as Deployment & { status: { readyReplicas?: number; replicas?: number } }).status;
      expect({ name: deployment.metadata.name, ready: status.readyReplicas }).toEqual({
        name: deployment.metadata.name,
        ready: status.replicas,
      });
    }
    expect(pods.length).toBeGreaterThanOrEqual(expected.length);
    for (const pod of pods) {
      const ready = pod.status.conditions?.find((condition) => condition.type === 'Ready')?.status;
      expect({
        pod: pod.metadata.name,
        node: pod.spec.nodeName?.startsWith('kwok-node-'),
        phase: pod.status.phase,
        ready,
      }).toEqual({
        pod: pod.metadata.name,
        node: true,
        phase: 'Running',
        ready: 'True',
      });
    }
  };

  beforeAll(async () => {
    tools = ensureTools();
    kubectlPath = ensureKubectl();
    cluster = await startKubeControlPlane({ nodes: 2 });
    for (const crd of daprCrdFiles(tools)) ok(kubectl(['apply', '--server-side', '-f', crd]), `applying ${crd}`);
    ok(kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd', '--all']), 'waiting for the Dapr CRDs');
  }, TOOL_INSTALL_TIMEOUT_MS);

  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  it('when the Dapr 1.18 CRDs are applied, then the API server serves the kinds the chart creates', () => {
    const kinds = ok(kubectl(['api-resources', '--api-group=dapr.io', '-o', 'name']), 'api-resources').split('\n');
    const version = ok(kubectl(['version', '-o', 'json']), 'version');

    expect(kinds).toEqual(
      expect.arrayContaining([
        'components.dapr.io',
        'configurations.dapr.io',
        'subscriptions.dapr.io',
        'resiliencies.dapr.io',
      ]),
    );
    expect((JSON.parse(version) as { serverVersion: { gitVersion: string } }).serverVersion.gitVersion).toMatch(
      /^v1\.34\./,
    );
  });

  it.each<[string, string, string[], Record<string, string>]>([
    ['the default values: state.postgresql', 'live-default', [], {}],
    ['values-production.yaml', 'live-production', [productionValues], {}],
    [
      'dapr.stateStore.type redis: state.redis and its lock store',
      'live-redis',
      [],
      { 'dapr.stateStore.type': 'redis' },
    ],
  ])(
    'when every rendered object (%s) is applied with --dry-run=server --validate=strict, then the API server accepts each',
    (_label, namespace, valuesFiles, set) => {
      restrictedNamespace(namespace);
      const rendered = renderChart(tools, { release: 'dry', namespace, valuesFiles, set });

      const result = kubectl(
        ['apply', '--dry-run=server', '--validate=strict', '-n', namespace, '-f', '-'],
        rendered.yaml,
      );

      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout.trim().split('\n')).toHaveLength(rendered.objects.length);
    },
    120_000,
  );

  it('when installed with default values into a namespace that enforces restricted, then every Deployment rolls out on the kwok nodes', () => {
    const namespace = 'sitter-dev';
    restrictedNamespace(namespace);

    const install = helm(['install', 'dev', chartDir, '-n', namespace, '--wait', '--timeout', '3m']);

    try {
      expect(install.stderr).toBe('');
      expect(install.status).toBe(0);
      expectRolledOut(namespace, 'dev', []);
    } finally {
      // Its Pods would keep kwok, the scheduler and the API server busy for the rest of the file.
      helm(['uninstall', 'dev', '-n', namespace]);
    }
  }, 240_000);

  it('when installed with production values into a namespace that enforces restricted, then every Deployment rolls out and the helm test pod is admitted', () => {
    const namespace = 'sitter-prod';
    restrictedNamespace(namespace);

    const install = helm([
      'install',
      'prod',
      chartDir,
      '-n',
      namespace,
      '-f',
      productionValues,
      '--wait',
      '--timeout',
      '3m',
    ]);
    const smoke = ok(
      helm([
        'template',
        'prod',
        chartDir,
        '-n',
        namespace,
        '-f',
        productionValues,
        '--show-only',
        'templates/tests/graphql-smoke.yaml',
      ]),
      'rendering the helm test pod',
    );
    const created = kubectl(['create', '-n', namespace, '-f', '-'], smoke);
    const [smokePod] = parseYaml<Manifest>(tools, smoke);

    try {
      expect(install.stderr).toBe('');
      expect(install.status).toBe(0);
      expectRolledOut(namespace, 'prod', [productionValues]);
      expect(created.stderr).toBe('');
      expect(created.status).toBe(0);
      ok(
        kubectl([
          'wait',
          '-n',
          namespace,
          '--for=condition=PodScheduled',
          '--timeout=60s',
          `pod/${smokePod.metadata.name}`,
        ]),
        'scheduling the helm test pod',
      );
    } finally {
      helm(['uninstall', 'prod', '-n', namespace]);
      kubectl(['delete', 'pod', '-n', namespace, smokePod.metadata.name, '--wait=false']);
    }
  }, 240_000);

  it('when a Pod breaks restricted, then the namespace refuses it (the admission the other tests rely on is on)', async () => {
    const namespace = 'sitter-refusal';
    restrictedNamespace(namespace);
    const rendered = renderChart(tools, { release: 'refused', namespace });
    const deployment = ofKind<Deployment>(rendered.objects, 'Deployment')[0];
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'refused', namespace },
      spec: {
        ...deployment.spec.template.spec,
        serviceAccountName: 'default',
        containers: deployment.spec.template.spec.containers.map((container) => ({
          ...container,
          securityContext: { ...container.securityContext, capabilities: {} },
        })),
      },
    };

    await eventually(
      () => kubectl(['get', 'serviceaccount', 'default', '-n', namespace]).status,
      (status) => status === 0,
    );

    const result = kubectl(['create', '--dry-run=server', '-f', '-'], JSON.stringify(pod));

    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('violates PodSecurity "restricted:latest"');
    expect(result.stderr).toContain('capabilities.drop=["ALL"]');
  });

  it('when upgraded from default to production values and then uninstalled, then nothing of the release is left', async () => {
    const namespace = 'sitter-upgrade';
    restrictedNamespace(namespace);
    ok(helm(['install', 'up', chartDir, '-n', namespace, '--wait', '--timeout', '3m']), 'install');
    const sandboxBefore = releaseObjects(namespace, 'up').filter((name) => name.includes('payments-sandbox'));

    const upgrade = helm([
      'upgrade',
      'up',
      chartDir,
      '-n',
      namespace,
      '-f',
      productionValues,
      '--wait',
      '--timeout',
      '3m',
    ]);
    const afterUpgrade = releaseObjects(namespace, 'up');
    const uninstall = helm(['uninstall', 'up', '-n', namespace, '--wait', '--timeout', '2m']);
    // The garbage collector removes ReplicaSets and Pods after their Deployment, and kwok lets deleted Pods go.
    const afterUninstall = await eventually(
      () => releaseObjects(namespace, 'up'),
      (left) => left.length === 0,
    );

    expect(upgrade.stderr).toBe('');
    expect(upgrade.status).toBe(0);
    expectRolledOutAfterUpgrade();
    expect(sandboxBefore.length).toBeGreaterThan(0);
    expect(afterUpgrade.filter((name) => name.includes('payments-sandbox'))).toEqual([]);
    expect(uninstall.status).toBe(0);
    expect(afterUninstall).toEqual([]);
    expect(ok(helm(['list', '-n', namespace, '-q']), 'helm list').trim()).toBe('');

    function expectRolledOutAfterUpgrade() {
      const deployments = afterUpgrade.filter((name) => name.startsWith('deployment.apps/'));
      expect(deployments.sort()).toEqual(
        ofKind<Deployment>(
          renderChart(tools, { release: 'up', namespace, valuesFiles: [productionValues] }).objects,
          'Deployment',
        )
          .map((deployment) => `deployment.apps/${deployment.metadata.name}`)
          .sort(),
      );
    }
  }, 420_000);

  describe('with Dapr’s sidecar injector', () => {
    const namespace = 'sitter-injected';
    let pods: { name: string; pod: Manifest }[];

    /** Each chart Deployment's Pod as the injector admits it, with the injector's settings and `overrides`. */
    const injected = (overrides: Record<string, string> = {}) =>
      pods.map(({ name, pod }) => {
        const result = spawnSync(locateTool('dapr-inject'), [], {
          input: JSON.stringify(pod),
          encoding: 'utf8',
          env: { PATH: process.env.PATH, ...injectorEnvironment(tools), ...overrides },
        });
        if (result.status !== 0) throw new Error(`dapr-inject failed for ${name}:\n${result.stderr}`);
        return { name, pod: JSON.parse(result.stdout) as Pod };
      });
    const admission = (pod: Pod) => kubectl(['create', '--dry-run=server', '-f', '-'], JSON.stringify(pod));

    beforeAll(async () => {
      restrictedNamespace(namespace);
      await eventually(
        () => kubectl(['get', 'serviceaccount', 'default', '-n', namespace]).status,
        (status) => status === 0,
      );
      pods = ofKind<Deployment>(renderChart(tools, { release: 'inj', namespace }).objects, 'Deployment').map(
        (deployment) => ({
          name: deployment.metadata.name,
          pod: {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { ...deployment.spec.template.metadata, name: deployment.metadata.name, namespace },
            // The chart's ServiceAccounts are not created here; the namespace's default one stands in.
            spec: { ...deployment.spec.template.spec, serviceAccountName: 'default' },
          } as Manifest,
        }),
      );
    }, 120_000);

    it('when the injector adds daprd to every Dapr-enabled Pod, then the namespace enforcing restricted admits each', () => {
      const results = injected().map(({ name, pod }) => {
        const daprd = pod.spec.containers.find((container) => container.name === 'daprd');
        const result = admission(pod);
        return {
          name,
          daprdDropsAll: daprd?.securityContext?.capabilities?.drop,
          // The chart's dapr.io/env and dapr.io/block-shutdown-duration reach daprd through the injector.
          goMemLimit: daprd?.env?.some((variable) => variable.name === 'GOMEMLIMIT'),
          blocksShutdown: daprd?.args?.includes('--dapr-block-shutdown-duration'),
          admitted: result.status === 0 ? 'admitted' : result.stderr,
        };
      });

      expect(results.length).toBeGreaterThanOrEqual(6);
      for (const result of results) {
        expect(result).toEqual({
          name: result.name,
          daprdDropsAll: ['ALL'],
          goMemLimit: true,
          blocksShutdown: true,
          admitted: 'admitted',
        });
      }
    }, 120_000);

    it('when the injector keeps Dapr’s default (sidecarDropALLCapabilities false), then restricted refuses the Pods', () => {
      const [{ pod }] = injected({ SIDECAR_DROP_ALL_CAPABILITIES: 'false' });

      const result = admission(pod);

      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain('container "daprd" must set securityContext.capabilities.drop=["ALL"]');
    }, 60_000);
  });
});
