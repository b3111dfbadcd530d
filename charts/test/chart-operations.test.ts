import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  appIdOf,
  ofKind,
  selects,
  type DaprConfiguration,
  type Deployment,
  type HorizontalPodAutoscaler,
  type Manifest,
  type NetworkPolicy,
  type Pod,
} from './support/manifests';
import { AppIds, paymentsSandbox, type ChartAppId } from './support/system';
import {
  chartDir,
  chartValue,
  devClusterDir,
  ensureTools,
  helm,
  parseYaml,
  productionValues,
  renderChart,
  repoRoot,
  TOOL_INSTALL_TIMEOUT_MS,
  type Rendered,
  type Tools,
} from './support/tools';

/** Sizes as Kubernetes (Mi, Gi) and Go (MiB, GiB) write them, in bytes. */
const bytes = (size: string): number => {
  const match = /^(\d+)(Ki|Mi|Gi|KiB|MiB|GiB)?$/.exec(size);
  if (!match) throw new Error(`not a size: ${size}`);
  const unit = { Ki: 1 << 10, Mi: 1 << 20, Gi: 1 << 30 }[(match[2] ?? '').replace(/B$/, '') as 'Ki' | 'Mi' | 'Gi'];
  return Number(match[1]) * (unit ?? 1);
};

/** The Dapr APIs each app calls on its sidecar (packages/dapr-runtime): nothing else is opened. */
const expectedDaprApis: Record<ChartAppId, string[]> = {
  [AppIds.gateway]: ['invoke', 'metadata'],
  // user and job publish their domain events, as booking does.
  [AppIds.user]: ['invoke', 'state', 'lock', 'unlock', 'publish', 'metadata'],
  [AppIds.job]: ['invoke', 'state', 'lock', 'unlock', 'publish', 'metadata'],
  [AppIds.booking]: ['invoke', 'state', 'lock', 'unlock', 'publish', 'metadata'],
  [AppIds.decliner]: ['invoke', 'metadata'],
  [paymentsSandbox]: ['state', 'lock', 'unlock', 'publish', 'metadata'],
};

const annotationsOf = (deployment: Deployment): Record<string, string> =>
  deployment.spec.template.metadata.annotations ?? {};

describe('charts/sitter operations', () => {
  let tools: Tools;
  let defaults: Rendered;
  let production: Rendered;

  beforeAll(() => {
    tools = ensureTools();
    defaults = renderChart(tools);
    production = renderChart(tools, { valuesFiles: [productionValues] });
  }, TOOL_INSTALL_TIMEOUT_MS);

  describe('Dapr version and the sidecar injector', () => {
    const daprdVersion = /github\.com\/dapr\/dapr (v[\d.]+)/.exec(
      readFileSync(join(repoRoot, 'tools/daprd/go.mod'), 'utf8'),
    )?.[1];

    it('when the chart checks, the cluster guide and the Dapr Helm values name a Dapr release, then it is the one daprd is built from', () => {
      const version = daprdVersion?.replace(/^v/, '') ?? '';
      const minor = version.split('.').slice(0, 2).join('.');
      const guide = readFileSync(join(devClusterDir, 'README.md'), 'utf8');
      const docs = readFileSync(join(repoRoot, 'docs/kubernetes.md'), 'utf8');

      expect(version).toMatch(/^1\.18\.\d+$/);
      expect(tools.schemas).toContain(`dapr-v${version}-`);
      expect(readFileSync(join(devClusterDir, 'dapr-values.yaml'), 'utf8')).toContain(`dapr/dapr ${version}`);
      expect(
        [...guide.matchAll(/(?:dapr\/dapr --version|--runtime-version) (\d+\.\d+\.\d+)/g)].map((m) => m[1]),
      ).toEqual([version, version]);
      expect([...`${guide}\n${docs}`.matchAll(/Dapr (\d+\.\d+)(?:\.\d+)?\b/g)].map((m) => m[1])).toEqual(
        expect.arrayContaining([minor]),
      );
      expect(`${guide}\n${docs}`).not.toMatch(/Dapr 1\.1[0-7]\b/);
      expect(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8')).toContain(`Dapr ${minor} control plane`);
    });

    it('when Dapr’s own chart is rendered with k8s/dapr-values.yaml, then its injector makes daprd drop ALL capabilities and mTLS is on', () => {
      const result = helm(tools, [
        'template',
        'dapr',
        join(tools.schemas, 'dapr-chart'),
        '--namespace',
        'dapr-system',
        '--values',
        join(devClusterDir, 'dapr-values.yaml'),
      ]);
      expect(result.stderr).toBe('');
      const objects = parseYaml(tools, result.stdout);
      const injector = ofKind<Deployment>(objects, 'Deployment').find(
        (deployment) => deployment.metadata.name === 'dapr-sidecar-injector',
      );
      const env = Object.fromEntries(
        (injector?.spec.template.spec.containers[0].env ?? []).map((variable) => [variable.name, variable.value]),
      );
      const daprSystem = ofKind<Manifest & { spec: { mtls?: { enabled?: boolean } } }>(objects, 'Configuration').find(
        (configuration) => configuration.metadata.name === 'daprsystem',
      );

      expect(env.SIDECAR_DROP_ALL_CAPABILITIES).toBe('true');
      expect(daprSystem?.spec.mtls?.enabled).toBe(true);
    });
  });

  describe.each(['default values', 'production values'])('with %s', (label) => {
    const objects = () => (label === 'default values' ? defaults : production).objects;
    const deployments = () => ofKind<Deployment>(objects(), 'Deployment');

    it('when a Pod is stopped, then preStop, the sidecar’s block and drain all fit in the grace period', () => {
      expect(deployments().length).toBeGreaterThanOrEqual(5);
      for (const deployment of deployments()) {
        const annotations = annotationsOf(deployment);
        const spec = deployment.spec.template.spec;
        const preStop = spec.containers[0].lifecycle?.preStop?.exec?.command ?? [];
        const block = Number(/^(\d+)s$/.exec(annotations['dapr.io/block-shutdown-duration'] ?? '')?.[1]);
        const drain = Number(annotations['dapr.io/graceful-shutdown-seconds']);
        const grace = spec.terminationGracePeriodSeconds ?? 30;

        expect(preStop[0]).toBe('sleep');
        expect(Number(preStop[1])).toBeGreaterThan(0);
        expect(block).toBeGreaterThan(0);
        expect(block + drain).toBeLessThan(grace);
        expect(Number(preStop[1])).toBeLessThan(grace);
      }
    });

    it('when daprd runs, then GOMEMLIMIT keeps its heap below the sidecar’s memory limit', () => {
      for (const deployment of deployments()) {
        const annotations = annotationsOf(deployment);
        const goMemLimit = /^GOMEMLIMIT=(\S+)$/.exec(annotations['dapr.io/env'] ?? '')?.[1] ?? '';
        const limit = bytes(annotations['dapr.io/sidecar-memory-limit'] ?? '');

        expect(bytes(goMemLimit)).toBeLessThan(limit);
        expect(bytes(goMemLimit)).toBeGreaterThan(limit * 0.8);
      }
    });

    it('when an app calls its sidecar, then only the Dapr APIs it uses are allowed', () => {
      const configurations = ofKind<DaprConfiguration>(objects(), 'Configuration');
      for (const deployment of deployments()) {
        const appId = appIdOf(deployment) as ChartAppId;
        const configuration = configurations.find(
          (candidate) => candidate.metadata.name === annotationsOf(deployment)['dapr.io/config'],
        );
        const allowed = configuration?.spec.api?.allowed ?? [];

        expect({ appId, apis: allowed.map((api) => api.name).sort() }).toEqual({
          appId,
          apis: [...expectedDaprApis[appId]].sort(),
        });
        for (const api of allowed) {
          expect(api.version).toBe(['lock', 'unlock'].includes(api.name) ? 'v1.0-alpha1' : 'v1.0');
          expect(api.protocol).toBe('http');
        }
      }
    });
  });

  describe('Dapr API tokens', () => {
    /** The apps whose hosting (hostService) refuses requests without APP_API_TOKEN; see packages/dapr-runtime. */
    const checksAppToken = (appId: string) => appId !== AppIds.gateway && appId !== AppIds.decliner;
    const tokensOf = (deployment: Deployment) => {
      const env = deployment.spec.template.spec.containers[0].env ?? [];
      const secretOf = (name: string) => env.find((variable) => variable.name === name)?.valueFrom?.secretKeyRef;
      const annotations = annotationsOf(deployment);
      return {
        appId: appIdOf(deployment),
        sidecarApiToken: annotations['dapr.io/api-token-secret'],
        sidecarAppToken: annotations['dapr.io/app-token-secret'],
        appSends: secretOf('DAPR_API_TOKEN'),
        appChecks: secretOf('APP_API_TOKEN'),
      };
    };

    it('when rendered with production values, then every sidecar requires the API token its app sends, and the apps that check the app token get the one their sidecar sends', () => {
      const apiSecret = chartValue<string>(tools, [productionValues], ['dapr', 'apiTokenSecret']);
      const appSecret = chartValue<string>(tools, [productionValues], ['dapr', 'appTokenSecret']);
      const deployments = ofKind<Deployment>(production.objects, 'Deployment');

      expect(apiSecret).toBeTruthy();
      expect(appSecret).toBeTruthy();
      expect(deployments.length).toBeGreaterThanOrEqual(5);
      for (const deployment of deployments) {
        const appId = appIdOf(deployment);
        const appToken = checksAppToken(appId) ? appSecret : undefined;
        expect(tokensOf(deployment)).toEqual({
          appId,
          sidecarApiToken: apiSecret,
          sidecarAppToken: appToken,
          appSends: { name: apiSecret, key: 'token' },
          appChecks: appToken === undefined ? undefined : { name: appToken, key: 'token' },
        });
      }
    });

    it('when rendered with default values, then no sidecar and no app asks for a token', () => {
      for (const deployment of ofKind<Deployment>(defaults.objects, 'Deployment')) {
        expect(tokensOf(deployment)).toEqual({ appId: appIdOf(deployment) });
      }
    });
  });

  it('when rendered with production values, then the decliner’s /metrics is open to the metrics scrapers and nothing else', () => {
    const policies = ofKind<NetworkPolicy>(production.objects, 'NetworkPolicy');
    const decliner = ofKind<Deployment>(production.objects, 'Deployment').find(
      (deployment) => appIdOf(deployment) === AppIds.decliner,
    );
    const metricsFrom = chartValue<unknown[]>(tools, [productionValues], ['networkPolicy', 'metricsFrom']);

    const openings = policies
      .filter((policy) => selects(policy.spec.podSelector.matchLabels, decliner?.spec.template.metadata.labels))
      .flatMap((policy) => policy.spec.ingress ?? [])
      .filter((rule) => rule.ports?.some((port) => port.port === 'http'));

    expect(metricsFrom?.length).toBeGreaterThan(0);
    expect(openings).toEqual([{ from: metricsFrom, ports: [{ protocol: 'TCP', port: 'http' }] }]);
  });

  it('when the decliner scales with KEDA, then a ScaledObject scales its Deployment on its group’s lag, with its own credentials and the CA', () => {
    const { objects } = renderChart(tools, {
      valuesFiles: [productionValues],
      set: { 'decliner.keda.enabled': 'true' },
    });
    const decliner = ofKind<Deployment>(objects, 'Deployment').find(
      (deployment) => appIdOf(deployment) === AppIds.decliner,
    );
    type KedaObject = Manifest & { spec: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    const [scaledObject] = ofKind<KedaObject>(objects, 'ScaledObject');
    const [auth] = ofKind<KedaObject>(objects, 'TriggerAuthentication');
    const env = Object.fromEntries(
      (decliner?.spec.template.spec.containers[0].env ?? []).map((variable) => [variable.name, variable]),
    );

    expect(scaledObject.spec.scaleTargetRef).toEqual({ name: decliner?.metadata.name });
    expect(scaledObject.spec.triggers).toEqual([
      {
        type: 'kafka',
        metadata: expect.objectContaining({
          topic: 'job-applications.declines',
          consumerGroup: 'decliner',
          bootstrapServers: env.KAFKA_BROKERS?.value,
          sasl: 'scram_sha512',
          tls: 'enable',
        }),
        authenticationRef: { name: auth.metadata.name },
      },
    ]);
    expect(auth.spec.secretTargetRef).toEqual(
      expect.arrayContaining([
        { parameter: 'password', ...env.KAFKA_SASL_PASSWORD?.valueFrom?.secretKeyRef },
        expect.objectContaining({ parameter: 'ca' }),
      ]),
    );
    expect(decliner?.spec.replicas).toBeUndefined();
    expect(
      ofKind<HorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler').map((hpa) => hpa.spec.scaleTargetRef.name),
    ).not.toContain(decliner?.metadata.name);
  });

  it('when KEDA is asked for a service that reads no topic from Kafka, then rendering fails with the reason', () => {
    const result = helm(tools, ['template', 'sitter', chartDir, '--set', 'job.keda.enabled=true']);

    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('only a direct Kafka consumer');
  });

  it('when KEDA is asked for the gateway, whose replicas each read every domain event in a group of their own, then rendering fails with the reason', () => {
    const result = helm(tools, ['template', 'sitter', chartDir, '--set', 'gateway.keda.enabled=true']);

    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('gateway.keda: each gateway replica reads every domain event');
  });

  it('when the grace period is shorter than the sidecar’s shutdown, then rendering fails with the reason', () => {
    const result = helm(tools, ['template', 'sitter', chartDir, '--set', 'job.terminationGracePeriodSeconds=20']);

    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('job: terminationGracePeriodSeconds (20) must exceed');
  });

  it.each(['default values', 'production values'])(
    'when rendered with %s, then the helm test pod pulls from the release’s registry with its pull secrets',
    (label) => {
      const objects = label === 'default values' ? defaults.objects : production.objects;
      const [smoke] = ofKind<Pod>(objects, 'Pod');
      const registry = label === 'default values' ? '' : 'registry.example.com/sitter/';

      expect(smoke.spec.containers[0].image).toBe(`${registry}curlimages/curl:8.11.1`);
      expect(smoke.spec.imagePullSecrets ?? []).toEqual(
        label === 'default values' ? [] : [{ name: 'registry-credentials' }],
      );
    },
  );

  it.each([
    ['serviceDefaults.securityContext.privileged=true', '/serviceDefaults/securityContext/privileged'],
    ['job.securityContext.runAsUser=0', '/job/securityContext/runAsUser'],
    ['user.securityContext.runAsGroup=0', '/user/securityContext/runAsGroup'],
    [
      'serviceDefaults.securityContext.capabilities.add[0]=SYS_ADMIN',
      '/serviceDefaults/securityContext/capabilities/add/0',
    ],
    ['booking.podSecurityContext.runAsGroup=0', '/booking/podSecurityContext/runAsGroup'],
    ['gateway.securityContext.allowPrivilegeEscalation=true', '/gateway/securityContext/allowPrivilegeEscalation'],
  ])('when %s is set, then values.schema.json refuses it', (setting, path) => {
    const result = helm(tools, ['template', 'sitter', chartDir, '--set', setting]);

    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(path);
  });
});
