import type { Operation } from '@sitter/platform';
import { bookingOperations } from '@sitter/booking-service';
import { jobOperations } from '@sitter/job-service';
import { userOperations } from '@sitter/user-service';
import {
  appIdOf,
  metadataEntry,
  metadataValue,
  named,
  ofKind,
  parseTopicScopes,
  selects,
  type Container,
  type DaprComponent,
  type DaprConfiguration,
  type DaprResiliency,
  type DaprSubscription,
  type Deployment,
  type EnvVar,
  type HorizontalPodAutoscaler,
  type Ingress,
  type Manifest,
  type NetworkPolicy,
  type Pod,
  type PodDisruptionBudget,
  type PodSpec,
  type SecurityContext,
  type Service,
} from './support/manifests';
import {
  allTopics,
  AppIds,
  chartAppIds,
  type ChartAppId,
  paymentsSandbox,
  Components,
  deadLetterTopicOf,
  defaultPorts,
  expectedCallers,
  expectedComponentUsers,
  expectedKafkaConsumers,
  expectedOperations,
  expectedPublishers,
  LiveTopics,
  servedSubscriptions,
  Topics,
} from './support/system';
import {
  chartDir,
  chartTopics,
  chartValue,
  ensureTools,
  helm,
  productionValues,
  renderChart,
  TOOL_INSTALL_TIMEOUT_MS,
  type ChartTopic,
  type RenderOptions,
} from './support/tools';

const NAMESPACE = 'sitter';

interface Variant {
  label: string;
  objects: Manifest[];
  /** The topics[] value the release was rendered with. */
  topics: ChartTopic[];
  /** The networkPolicy.metricsFrom value the release was rendered with. */
  metricsFrom: unknown[];
}

const deployedAppIds = (objects: Manifest[]): ChartAppId[] =>
  ofKind<Deployment>(objects, 'Deployment').map((deployment) => appIdOf(deployment) as ChartAppId);

const deploymentOf = (objects: Manifest[], appId: ChartAppId): Deployment | undefined =>
  ofKind<Deployment>(objects, 'Deployment').find((deployment) => appIdOf(deployment) === appId);

const envOf = (deployment: Deployment | undefined): Record<string, EnvVar> =>
  Object.fromEntries(
    (deployment?.spec.template.spec.containers[0].env ?? []).map((variable) => [variable.name, variable]),
  );

/** The routes an app serves, as "VERB /path" with Dapr's "*" for each path parameter. */
const servedRoutes = (appId: ChartAppId): string[] => {
  const operations: Partial<Record<ChartAppId, Operation[]>> = {
    [AppIds.user]: userOperations({} as never),
    [AppIds.job]: jobOperations({} as never),
    [AppIds.booking]: bookingOperations({} as never),
  };
  return (operations[appId] ?? []).map((operation) => `${operation.method} ${operation.path.replace(/:[^/]+/g, '*')}`);
};

const kafkaConsumersOf = (topics: ChartTopic[], topic: string): string[] =>
  topics.find((candidate) => candidate.name === topic)?.kafkaConsumers ?? [];

describe('charts/sitter wiring', () => {
  const variants: Variant[] = [];
  const variant = (label: string): Variant => {
    const found = variants.find((candidate) => candidate.label === label);
    if (!found) throw new Error(`variant ${label} was not rendered`);
    return found;
  };
  /** App ids the chart can run: those with a Deployment once every service is enabled. */
  let chartWorkloads: ChartAppId[] = [];

  beforeAll(() => {
    const tools = ensureTools();
    const render = (label: string, options: RenderOptions): Variant => ({
      label,
      objects: renderChart(tools, { namespace: NAMESPACE, ...options }).objects,
      topics: chartTopics(tools, options.valuesFiles),
      metricsFrom: chartValue<unknown[]>(tools, options.valuesFiles, ['networkPolicy', 'metricsFrom']) ?? [],
    });
    variants.push(
      render('default values', {}),
      render('production values', { valuesFiles: [productionValues] }),
      render('decliner disabled', { set: { 'decliner.enabled': 'false' } }),
      render('state store redis', { set: { 'dapr.stateStore.type': 'redis' } }),
    );
    const everyService = Object.fromEntries(chartAppIds.map((appId) => [`${appId}.enabled`, 'true']));
    chartWorkloads = deployedAppIds(render('every service enabled', { set: everyService }).objects);
  }, TOOL_INSTALL_TIMEOUT_MS);

  const labels = ['default values', 'production values', 'decliner disabled', 'state store redis'];
  /** The state store each variant runs on: state.postgresql by default, state.redis (with its lock store) if asked. */
  const stateStoreTypes: Record<string, string> = {
    'default values': 'state.postgresql',
    'production values': 'state.postgresql',
    'decliner disabled': 'state.postgresql',
    'state store redis': 'state.redis',
  };

  describe.each(labels)('with %s', (label) => {
    const objects = () => variant(label).objects;
    const deployments = () => ofKind<Deployment>(objects(), 'Deployment');
    const configurations = () => ofKind<DaprConfiguration>(objects(), 'Configuration');
    const components = () => ofKind<DaprComponent>(objects(), 'Component');
    const metricsFrom = () => variant(label).metricsFrom;
    const onRedis = stateStoreTypes[label] === 'state.redis';

    it('when rendered, then every Deployment is Dapr-enabled with a contract app id, its port and its own Configuration', () => {
      expect(deployments().length).toBeGreaterThanOrEqual(4);
      for (const deployment of deployments()) {
        const annotations = deployment.spec.template.metadata.annotations ?? {};
        const appId = appIdOf(deployment) as ChartAppId;
        const container = deployment.spec.template.spec.containers[0];

        expect(annotations['dapr.io/enabled']).toBe('true');
        expect(chartAppIds).toContain(appId);
        expect(annotations['dapr.io/app-port']).toBe(String(container.ports?.[0].containerPort));
        expect(container.ports?.[0].containerPort).toBe(defaultPorts[appId]);
        expect(annotations['dapr.io/log-as-json']).toBe('true');
        expect(annotations['dapr.io/sidecar-cpu-request']).toBeTruthy();
        expect(annotations['dapr.io/sidecar-memory-request']).toBeTruthy();
        expect(configurations().map((configuration) => configuration.metadata.name)).toContain(
          annotations['dapr.io/config'],
        );
      }
    });

    it('when rendered, then each app id is in the scopes of exactly the components it uses', () => {
      const deployed = deployedAppIds(objects());
      expect(
        components()
          .map((component) => component.metadata.name)
          .sort(),
      ).toEqual(
        (onRedis
          ? [Components.lockStore, Components.pubsub, Components.stateStore]
          : [Components.pubsub, Components.stateStore]
        ).sort(),
      );
      for (const component of components()) {
        const expected = expectedComponentUsers[component.metadata.name].filter((appId) => deployed.includes(appId));
        expect([...(component.scopes ?? [])].sort()).toEqual([...expected].sort());
      }
      expect(named(components(), Components.stateStore).spec.type).toBe(stateStoreTypes[label]);
      if (onRedis) expect(named(components(), Components.lockStore).spec.type).toBe('lock.redis');
      expect(named(components(), Components.pubsub).spec.type).toBe('pubsub.kafka');
    });

    it('when rendered, then the state store keeps each app in its own key prefix and is no actor store', () => {
      const stateStore = named(components(), Components.stateStore);

      expect(metadataValue(stateStore, 'keyPrefix')).toBe('appid');
      // state.postgresql has no actorStateStore flag; no actor runs on it either way.
      expect(metadataValue(stateStore, 'actorStateStore')).toBe(onRedis ? 'false' : undefined);
    });

    it('when rendered, then on state.redis the lock store is a lock.redis on the state store’s Redis, scoped to the same apps, and on state.postgresql there is none', () => {
      const stateStore = named(components(), Components.stateStore);
      if (!onRedis) {
        expect(components().filter((component) => component.spec.type.startsWith('lock.'))).toEqual([]);
        return;
      }

      const lockStore = named(components(), Components.lockStore);

      expect(lockStore.spec.type).toBe('lock.redis');
      expect([...(lockStore.scopes ?? [])].sort()).toEqual([...(stateStore.scopes ?? [])].sort());
      expect(metadataValue(lockStore, 'redisHost')).toBe(metadataValue(stateStore, 'redisHost'));
      expect(metadataValue(lockStore, 'enableTLS')).toBe(metadataValue(stateStore, 'enableTLS'));
      expect(metadataEntry(lockStore, 'redisPassword')?.value).toBeUndefined();
      expect(metadataEntry(lockStore, 'redisPassword')?.secretKeyRef?.name).toBeTruthy();
      expect(metadataEntry(lockStore, 'redisPassword')?.secretKeyRef).toEqual(
        metadataEntry(stateStore, 'redisPassword')?.secretKeyRef,
      );
    });

    it('when rendered, then each state-store app gets the lock store’s name (on state.redis) or none (on state.postgresql) as SITTER_STATE_LOCK_STORE and no other app does', () => {
      const lockName = onRedis ? named(components(), Components.lockStore).metadata.name : 'none';
      const stateStoreUsers = expectedComponentUsers[Components.stateStore];

      const given = deployments().map((deployment) => ({
        appId: appIdOf(deployment),
        lockStore: envOf(deployment).SITTER_STATE_LOCK_STORE?.value,
      }));

      expect(given.filter((entry) => entry.lockStore !== undefined).length).toBeGreaterThan(0);
      for (const { appId, lockStore: value } of given) {
        const expected = stateStoreUsers.includes(appId as ChartAppId) ? lockName : undefined;
        expect({ appId, lockStore: value }).toEqual({ appId, lockStore: expected });
      }
    });

    it('when rendered, then component secrets are secretKeyRefs, never inline values', () => {
      for (const component of components()) {
        for (const entry of component.spec.metadata.filter((item) => /password|secret|token/i.test(item.name))) {
          expect(entry.value).toBeUndefined();
          expect(entry.secretKeyRef?.name).toBeTruthy();
          expect(entry.secretKeyRef?.key).toBeTruthy();
        }
      }
    });

    it('when rendered, then no container can run as root or gain privileges', () => {
      const pods: { name: string; spec: PodSpec }[] = [
        ...deployments().map((deployment) => ({ name: deployment.metadata.name, spec: deployment.spec.template.spec })),
        ...ofKind<Pod>(objects(), 'Pod').map((pod) => ({ name: pod.metadata.name, spec: pod.spec })),
      ];
      // The Deployments' pods and the `helm test` pod.
      expect(pods).toHaveLength(deployments().length + 1);
      for (const { name, spec } of pods) {
        for (const container of [...spec.containers, ...(spec.initContainers ?? [])]) {
          const effective = (key: keyof SecurityContext) =>
            container.securityContext?.[key] ?? spec.securityContext?.[key];
          const where = `${name}/${container.name}`;

          expect({ where, runAsNonRoot: effective('runAsNonRoot') }).toEqual({ where, runAsNonRoot: true });
          expect(effective('runAsUser')).not.toBe(0);
          expect(container.securityContext?.privileged ?? false).toBe(false);
          expect(container.securityContext?.allowPrivilegeEscalation).toBe(false);
          expect(container.securityContext?.readOnlyRootFilesystem).toBe(true);
          expect(container.securityContext?.capabilities?.drop).toContain('ALL');
          expect(container.securityContext?.capabilities?.add ?? []).toEqual([]);
          expect(effective('seccompProfile')).toEqual({ type: 'RuntimeDefault' });
        }
      }
      for (const deployment of deployments()) {
        expect(deployment.spec.template.metadata.annotations?.['dapr.io/sidecar-seccomp-profile-type']).toBe(
          'RuntimeDefault',
        );
      }
    });

    it('when rendered, then probes hit /healthz and /readyz on the container port the app listens on', () => {
      for (const deployment of deployments()) {
        const container: Container = deployment.spec.template.spec.containers[0];
        const http = container.ports?.find((port) => port.name === 'http');
        const portEnv = container.env?.find((variable) => variable.name === 'PORT')?.value;

        expect(http?.containerPort).toBeGreaterThan(0);
        expect(portEnv).toBe(String(http?.containerPort));
        expect(container.startupProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
        expect(container.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
        expect(container.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
      }
    });

    it('when rendered, then each Configuration denies by default and allows exactly the expected callers', () => {
      const deployed = deployedAppIds(objects());
      for (const deployment of deployments()) {
        const appId = appIdOf(deployment) as ChartAppId;
        const configuration = named(
          configurations(),
          deployment.spec.template.metadata.annotations?.['dapr.io/config'] ?? '',
        );
        const accessControl = configuration.spec.accessControl;
        const policies = accessControl?.policies ?? [];

        expect(accessControl?.defaultAction).toBe('deny');
        expect(policies.map((policy) => policy.appId).sort()).toEqual(
          expectedCallers[appId].filter((caller) => deployed.includes(caller)).sort(),
        );
        for (const policy of policies) {
          const caller = policy.appId as ChartAppId;
          const operations = (policy.operations ?? []).flatMap((operation) =>
            operation.httpVerb.map((verb) => `${verb} ${operation.name}`),
          );
          expect(policy).toMatchObject({
            defaultAction: 'deny',
            namespace: NAMESPACE,
            trustDomain: accessControl?.trustDomain,
          });
          expect({ appId, caller, operations: operations.sort() }).toEqual({
            appId,
            caller,
            operations: [...(expectedOperations[appId]?.[caller] ?? [])].sort(),
          });
          for (const operation of policy.operations ?? []) expect(operation.action).toBe('allow');
          for (const operation of operations) {
            expect({ appId, operation, served: servedRoutes(appId).includes(operation) }).toEqual({
              appId,
              operation,
              served: true,
            });
          }
        }
        expect(configuration.spec.tracing?.samplingRate).toBeTruthy();
      }
    });

    it('when rendered, then every contract topic is consumed: by a Subscription for a pub/sub app, with its dead-letter topic, or by a declared direct Kafka consumer that is a chart workload', () => {
      const subscriptions = ofKind<DaprSubscription>(objects(), 'Subscription');
      const pubsub = named(components(), Components.pubsub);
      const pubsubApps = pubsub.scopes ?? [];
      for (const topic of allTopics) {
        const forTopic = subscriptions.filter((subscription) => subscription.spec.topic === topic);
        const kafkaConsumers = kafkaConsumersOf(variant(label).topics, topic);

        expect({ topic, consumed: forTopic.length + kafkaConsumers.length > 0 }).toEqual({ topic, consumed: true });
        for (const subscription of forTopic) {
          expect(subscription.spec.pubsubname).toBe(Components.pubsub);
          expect(subscription.spec.deadLetterTopic).toBe(deadLetterTopicOf(topic));
          expect(subscription.spec.routes.default).toMatch(/^\//);
          expect(subscription.scopes?.length).toBeGreaterThan(0);
          for (const consumer of subscription.scopes ?? []) expect(pubsubApps).toContain(consumer);
        }
        for (const consumer of kafkaConsumers) {
          const deployment = deploymentOf(objects(), consumer as ChartAppId);

          expect(chartWorkloads).toContain(consumer);
          // Not a second consumer of the same topic through Dapr.
          expect(forTopic.flatMap((subscription) => subscription.scopes ?? [])).not.toContain(consumer);
          // When it runs, it reads the brokers the pub/sub component uses.
          if (deployment) expect(envOf(deployment).KAFKA_BROKERS?.value).toBe(metadataValue(pubsub, 'brokers'));
        }
      }
    });

    it('when rendered, then each app gets exactly the Subscriptions its Dapr subscriber serves, on its routes', () => {
      const rendered = ofKind<DaprSubscription>(objects(), 'Subscription').flatMap((subscription) =>
        (subscription.scopes ?? []).map((appId) => ({
          appId,
          topic: subscription.spec.topic,
          route: subscription.spec.routes.default,
          deadLetterTopic: subscription.spec.deadLetterTopic,
        })),
      );
      const served = deployedAppIds(objects()).flatMap((appId) =>
        servedSubscriptions(appId).map(({ topic, route, deadLetterTopic }) => ({
          appId,
          topic,
          route,
          deadLetterTopic,
        })),
      );
      const order = (entries: typeof rendered) =>
        [...entries].sort((a, b) => `${a.appId} ${a.topic}`.localeCompare(`${b.appId} ${b.topic}`));

      expect(rendered.length).toBeGreaterThan(0);
      expect(order(rendered)).toEqual(order(served));
    });

    it('when rendered, then no Subscription sets rawPayload, so daprd passes each message as is and its Kafka position stays its id across redeliveries', () => {
      const subscriptions = ofKind<DaprSubscription>(objects(), 'Subscription');

      expect(subscriptions.length).toBeGreaterThan(0);
      for (const subscription of subscriptions) {
        expect({ topic: subscription.spec.topic, rawPayload: subscription.spec.metadata?.rawPayload }).toEqual({
          topic: subscription.spec.topic,
          rawPayload: undefined,
        });
      }
    });

    it('when rendered, then pub/sub topic scopes name every pub/sub app and let consumers reach their topics', () => {
      const pubsub = named(components(), Components.pubsub);
      const publishing = parseTopicScopes(metadataValue(pubsub, 'publishingScopes'));
      const subscribing = parseTopicScopes(metadataValue(pubsub, 'subscriptionScopes'));

      // An app missing from a scoping string may use every topic: so each scoped app must be listed.
      expect([...publishing.keys()].sort()).toEqual([...(pubsub.scopes ?? [])].sort());
      expect([...subscribing.keys()].sort()).toEqual([...(pubsub.scopes ?? [])].sort());
      for (const subscription of ofKind<DaprSubscription>(objects(), 'Subscription')) {
        for (const consumer of subscription.scopes ?? []) {
          expect(subscribing.get(consumer)).toContain(subscription.spec.topic);
          expect(publishing.get(consumer)).toContain(subscription.spec.deadLetterTopic);
        }
      }
      expect(publishing.get(AppIds.booking)).toContain(allTopics[0]);
    });

    it('when rendered, then resiliency covers invoked apps, the state store and pub/sub in and out', () => {
      const [resiliency] = ofKind<DaprResiliency>(objects(), 'Resiliency');
      const { policies, targets } = resiliency.spec;
      const refs = [
        ...Object.values(targets.apps ?? {}),
        ...Object.values(targets.components ?? {}).flatMap((target) => [target.inbound ?? {}, target.outbound ?? {}]),
      ];
      const deployed = deployedAppIds(objects());
      const invoked = deployed.filter((appId) => expectedCallers[appId].some((caller) => deployed.includes(caller)));

      expect(Object.keys(targets.apps ?? {}).sort()).toEqual([...invoked].sort());
      expect(targets.components?.[Components.stateStore]?.outbound).toMatchObject({
        timeout: expect.any(String),
        circuitBreaker: expect.any(String),
      });
      expect(targets.components?.[Components.pubsub]?.inbound).toMatchObject({
        retry: expect.any(String),
        timeout: expect.any(String),
      });
      expect(targets.components?.[Components.pubsub]?.outbound?.retry).toEqual(expect.any(String));
      for (const ref of refs) {
        if (ref.timeout) expect(Object.keys(policies.timeouts ?? {})).toContain(ref.timeout);
        if (ref.retry) expect(Object.keys(policies.retries ?? {})).toContain(ref.retry);
        if (ref.circuitBreaker) expect(Object.keys(policies.circuitBreakers ?? {})).toContain(ref.circuitBreaker);
      }
      expect([...(resiliency.scopes ?? [])].sort()).toEqual([...deployed].sort());
    });

    it('when rendered, then the state store is never retried, since daprd would re-run a transaction refused for a failed condition', () => {
      const [resiliency] = ofKind<DaprResiliency>(objects(), 'Resiliency');

      const stateStore = resiliency.spec.targets.components?.[Components.stateStore];

      expect(stateStore?.outbound?.timeout).toEqual(expect.any(String));
      expect(stateStore?.outbound?.retry).toBeUndefined();
      expect(stateStore?.inbound).toBeUndefined();
    });

    it('when rendered, then inbound delivery has no circuit breaker, which would dead-letter healthy messages while open', () => {
      const [resiliency] = ofKind<DaprResiliency>(objects(), 'Resiliency');

      const inbound = resiliency.spec.targets.components?.[Components.pubsub]?.inbound;

      expect(inbound?.retry).toEqual(expect.any(String));
      expect(inbound?.circuitBreaker).toBeUndefined();
    });

    it('when rendered, then no invoked app has a circuit breaker, since daprd counts its refusals (409, 403, 404) as failures', () => {
      const [resiliency] = ofKind<DaprResiliency>(objects(), 'Resiliency');

      const apps = Object.entries(resiliency.spec.targets.apps ?? {});

      expect(apps.length).toBeGreaterThan(0);
      expect(apps.filter(([, refs]) => refs.circuitBreaker !== undefined).map(([appId]) => appId)).toEqual([]);
    });

    it('when rendered, then every circuit breaker in use trips only after 100 consecutive failures, since daprd counts 4xx answers as failures', () => {
      const [resiliency] = ofKind<DaprResiliency>(objects(), 'Resiliency');
      const { policies, targets } = resiliency.spec;
      const inUse = new Set(
        [
          ...Object.values(targets.apps ?? {}),
          ...Object.values(targets.components ?? {}).flatMap((target) => [target.inbound, target.outbound]),
        ].flatMap((refs) => (refs?.circuitBreaker ? [refs.circuitBreaker] : [])),
      );

      const trips = [...inUse].map((name) => ({ name, trip: policies.circuitBreakers?.[name]?.trip ?? '' }));

      expect(trips.length).toBeGreaterThan(0);
      for (const { name, trip } of trips) {
        const threshold = Number(/^consecutiveFailures >= (\d+)$/.exec(trip)?.[1]);
        expect({ name, trip, atLeast100: threshold >= 100 }).toEqual({ name, trip, atLeast100: true });
      }
    });

    it('when rendered, then NetworkPolicies open only the gateway port, the sidecars’ internal port, and metrics to their scrapers', () => {
      const policies = ofKind<NetworkPolicy>(objects(), 'NetworkPolicy');
      const gateway = deployments().find((deployment) => appIdOf(deployment) === AppIds.gateway);
      const decliner = deployments().find((deployment) => appIdOf(deployment) === AppIds.decliner);
      const denyAll = policies.filter((policy) => (policy.spec.ingress ?? []).length === 0);

      for (const deployment of deployments()) {
        const podLabels = deployment.spec.template.metadata.labels;
        expect(denyAll.some((policy) => selects(policy.spec.podSelector.matchLabels, podLabels))).toBe(true);
      }
      for (const policy of policies) {
        const selectsOnlyGateway = deployments().every(
          (deployment) =>
            deployment === gateway ||
            !selects(policy.spec.podSelector.matchLabels, deployment.spec.template.metadata.labels),
        );
        const selectsOnlyDecliner = deployments().every(
          (deployment) =>
            deployment === decliner ||
            !selects(policy.spec.podSelector.matchLabels, deployment.spec.template.metadata.labels),
        );
        for (const rule of policy.spec.ingress ?? []) {
          for (const port of rule.ports ?? []) {
            // The decliner's app port serves its /metrics, opened to the metrics scrapers only.
            const declinerMetrics = selectsOnlyDecliner && JSON.stringify(rule.from) === JSON.stringify(metricsFrom());
            if (port.port === 'http') expect(selectsOnlyGateway || declinerMetrics).toBe(true);
            else expect([50002, 9090]).toContain(port.port);
          }
          expect(rule.ports?.length).toBeGreaterThan(0);
        }
      }
    });

    it('when rendered, then every Deployment has a ServiceAccount, a Service and a PodDisruptionBudget of its own', () => {
      const services = ofKind<Service>(objects(), 'Service');
      const budgets = ofKind<PodDisruptionBudget>(objects(), 'PodDisruptionBudget');
      const accounts = ofKind<Manifest>(objects(), 'ServiceAccount').map((account) => account.metadata.name);
      for (const deployment of deployments()) {
        const podLabels = deployment.spec.template.metadata.labels;
        const matchingServices = services.filter((service) => selects(service.spec.selector, podLabels));
        const matchingBudgets = budgets.filter((budget) => selects(budget.spec.selector.matchLabels, podLabels));

        expect(accounts).toContain(deployment.spec.template.spec.serviceAccountName);
        expect(matchingServices).toHaveLength(1);
        expect(matchingServices[0].spec.ports[0].targetPort).toBe('http');
        expect(matchingBudgets).toHaveLength(1);
      }
    });

    it('when rendered, then the helm test posts a GraphQL query to the gateway Service', () => {
      const [smoke] = ofKind<Pod>(objects(), 'Pod');
      const gatewayService = ofKind<Service>(objects(), 'Service').find(
        (service) => service.spec.selector['app.kubernetes.io/component'] === 'gateway',
      );
      const env = Object.fromEntries((smoke.spec.containers[0].env ?? []).map((item) => [item.name, item.value]));

      expect(smoke.metadata.annotations?.['helm.sh/hook']).toBe('test');
      expect(env.GATEWAY_URL).toBe(`http://${gatewayService?.metadata.name}:${defaultPorts.gateway}/graphql`);
      expect(JSON.parse(env.QUERY_BODY ?? '{}')).toEqual({ query: '{ __typename }' });
    });
  });

  it('when rendered with default values, then there is no Ingress and the gateway is reached by port-forward', () => {
    expect(ofKind<Ingress>(variant('default values').objects, 'Ingress')).toEqual([]);
  });

  it('when rendered with production values, then the only Ingress routes /graphql to the gateway Service', () => {
    const { objects } = variant('production values');
    const ingresses = ofKind<Ingress>(objects, 'Ingress');
    const backends = ingresses.flatMap((ingress) =>
      ingress.spec.rules.flatMap((rule) =>
        rule.http.paths.map((path) => ({ path: path.path, service: path.backend.service.name })),
      ),
    );
    const gatewayService = named(ofKind<Service>(objects, 'Service'), backends[0]?.service ?? '');
    const gateway = ofKind<Deployment>(objects, 'Deployment').find(
      (deployment) => appIdOf(deployment) === AppIds.gateway,
    );

    expect(ingresses).toHaveLength(1);
    expect(backends).toEqual([{ path: '/graphql', service: gatewayService.metadata.name }]);
    expect(selects(gatewayService.spec.selector, gateway?.spec.template.metadata.labels)).toBe(true);
  });

  it('when rendered with production values, then every Deployment scales with an HPA and leaves replicas to it', () => {
    const { objects } = variant('production values');
    const autoscalers = ofKind<HorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler');
    for (const deployment of ofKind<Deployment>(objects, 'Deployment')) {
      const autoscaler = autoscalers.find(
        (candidate) => candidate.spec.scaleTargetRef.name === deployment.metadata.name,
      );

      expect(autoscaler?.spec.scaleTargetRef.kind).toBe('Deployment');
      expect(autoscaler?.spec.minReplicas).toBeGreaterThanOrEqual(2);
      expect(deployment.spec.replicas).toBeUndefined();
    }
  });

  it('when rendered with default values, then every service runs 2 replicas with a PodDisruptionBudget keeping 1 of them up', () => {
    const { objects } = variant('default values');
    const budgets = ofKind<PodDisruptionBudget>(objects, 'PodDisruptionBudget');
    const deployments = ofKind<Deployment>(objects, 'Deployment');

    expect(deployments.map(appIdOf).sort()).toEqual(
      [AppIds.booking, AppIds.decliner, AppIds.gateway, AppIds.job, paymentsSandbox, AppIds.user].sort(),
    );
    for (const deployment of deployments) {
      const podLabels = deployment.spec.template.metadata.labels;
      const [budget] = budgets.filter((candidate) => selects(candidate.spec.selector.matchLabels, podLabels));

      expect(deployment.spec.replicas).toBe(2);
      expect(budget.spec).toMatchObject({ minAvailable: 1 });
      expect(budget.spec).not.toHaveProperty('maxUnavailable');
    }
  });

  it('when a service runs 1 replica with a budget of minAvailable 1, then the chart refuses it, naming the service', () => {
    const result = helm(ensureTools(), ['template', 'sitter', chartDir, '--set', 'job.replicaCount=1']);

    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('job: podDisruptionBudget.minAvailable (1) must be below its fewest replicas (1)');
  });

  it('when a service runs 1 replica with minAvailable null, then its budget lets that one pod go (maxUnavailable 1)', () => {
    const { objects } = renderChart(ensureTools(), {
      set: { 'job.replicaCount': '1', 'job.podDisruptionBudget.minAvailable': 'null' },
    });
    const job = ofKind<PodDisruptionBudget>(objects, 'PodDisruptionBudget').find(
      (budget) => budget.metadata.labels?.['app.kubernetes.io/component'] === AppIds.job,
    );

    expect(job?.spec).toMatchObject({ maxUnavailable: 1 });
    expect(job?.spec).not.toHaveProperty('minAvailable');
  });

  it("when rendered, then every gateway replica counts the API-key limits in the state store's Redis", () => {
    const { objects } = renderChart(ensureTools(), {
      set: { 'dapr.stateStore.redis.host': 'redis.data:6380', 'dapr.stateStore.redis.enableTLS': 'true' },
    });
    const gatewayConfig = named(ofKind<Manifest>(objects, 'ConfigMap'), 'sitter-gateway');
    const gateway = ofKind<Deployment>(objects, 'Deployment').find(
      (deployment) => appIdOf(deployment) === AppIds.gateway,
    );
    const password = gateway?.spec.template.spec.containers[0].env?.find(
      (variable) => variable.name === 'RATE_LIMIT_REDIS_PASSWORD',
    );

    expect(gatewayConfig.data).toMatchObject({
      RATE_LIMIT_REDIS_HOST: 'redis.data:6380',
      RATE_LIMIT_REDIS_TLS: 'true',
    });
    expect(password?.valueFrom).toEqual({ secretKeyRef: { name: 'redis-auth', key: 'password' } });
  });

  it('when rendered with production values, then the gateway reads API keys from the existing Secret only', () => {
    const { objects } = variant('production values');
    const gateway = ofKind<Deployment>(objects, 'Deployment').find(
      (deployment) => appIdOf(deployment) === AppIds.gateway,
    );
    const apiKeys = gateway?.spec.template.spec.containers[0].env?.find((variable) => variable.name === 'API_KEYS');
    const configMapKeys = ofKind<Manifest>(objects, 'ConfigMap').flatMap((configMap) =>
      Object.keys(configMap.data ?? {}),
    );

    expect(apiKeys?.valueFrom?.secretKeyRef).toEqual({ name: 'sitter-gateway-api-keys', key: 'api-keys' });
    expect(apiKeys?.value).toBeUndefined();
    expect(ofKind<Manifest>(objects, 'Secret')).toEqual([]);
    expect(configMapKeys).not.toContain('API_KEYS');
    expect(configMapKeys).toEqual(
      expect.arrayContaining(['JWKS_URI', 'JWT_ISSUER', 'JWT_AUDIENCE', 'JWT_ROLES_CLAIM']),
    );
  });

  it('when rendered with production values, then the gateway runs without GraphiQL and introspection', () => {
    const gatewayConfig = named(ofKind<Manifest>(variant('production values').objects, 'ConfigMap'), 'sitter-gateway');

    expect(gatewayConfig.data).toMatchObject({ GRAPHIQL: 'false', GRAPHQL_INTROSPECTION: 'false' });
    expect(gatewayConfig.data).not.toHaveProperty('CORS_ORIGINS');
  });

  it('when CORS origins and a failed-key limit are given, then the gateway gets them as CORS_ORIGINS and API_KEY_FAILURE_LIMIT', () => {
    const { objects } = renderChart(ensureTools(), {
      set: { 'gateway.corsOrigins': 'https://app.sitter.example', 'gateway.apiKeys.failureLimit': '5' },
    });
    const gatewayConfig = named(ofKind<Manifest>(objects, 'ConfigMap'), 'sitter-gateway');

    expect(gatewayConfig.data).toMatchObject({
      CORS_ORIGINS: 'https://app.sitter.example',
      API_KEY_FAILURE_LIMIT: '5',
    });
  });

  it('when API keys are given inline for development, then the gateway reads them from the chart’s Secret', () => {
    const { objects } = renderChart(ensureTools(), { set: { 'gateway.apiKeys.values': '{key-one,key-two}' } });
    const gateway = ofKind<Deployment>(objects, 'Deployment').find(
      (deployment) => appIdOf(deployment) === AppIds.gateway,
    );
    const apiKeys = gateway?.spec.template.spec.containers[0].env?.find((variable) => variable.name === 'API_KEYS');
    const [secret] = ofKind<Manifest>(objects, 'Secret');

    expect(apiKeys?.valueFrom?.secretKeyRef).toEqual({ name: secret.metadata.name, key: 'api-keys' });
    expect(secret.stringData).toEqual({ 'api-keys': 'key-one,key-two' });
    expect(JSON.stringify(ofKind<Manifest>(objects, 'ConfigMap'))).not.toContain('key-one');
  });

  it('when the lock store is renamed, then its Component and every state-store app’s SITTER_STATE_LOCK_STORE carry the new name', () => {
    const { objects } = renderChart(ensureTools(), {
      set: { 'dapr.stateStore.type': 'redis', 'dapr.lockStore.name': 'locks-eu' },
    });

    const lockStores = ofKind<DaprComponent>(objects, 'Component').filter(
      (component) => component.spec.type === 'lock.redis',
    );
    const stateStoreApps = named(ofKind<DaprComponent>(objects, 'Component'), Components.stateStore).scopes ?? [];
    const given = stateStoreApps.map(
      (appId) => envOf(deploymentOf(objects, appId as ChartAppId)).SITTER_STATE_LOCK_STORE,
    );

    expect(lockStores.map((component) => component.metadata.name)).toEqual(['locks-eu']);
    expect(stateStoreApps.length).toBeGreaterThan(0);
    for (const variable of given) expect(variable?.value).toBe('locks-eu');
  });

  it('when rendered with default values, then the state store is state.postgresql v2 from the dev PostgreSQL’s secret and the apps lock nothing', () => {
    const { objects } = variant('default values');
    const componentsOf = ofKind<DaprComponent>(objects, 'Component');
    const stateStore = named(componentsOf, Components.stateStore);

    expect(stateStore.spec).toEqual(expect.objectContaining({ type: 'state.postgresql', version: 'v2' }));
    expect(metadataEntry(stateStore, 'connectionString')).toEqual({
      name: 'connectionString',
      secretKeyRef: { name: 'postgres-state', key: 'connectionString' },
    });
    expect(componentsOf.filter((component) => component.spec.type.startsWith('lock.'))).toEqual([]);
    expect((stateStore.scopes ?? []).length).toBeGreaterThan(0);
    for (const appId of stateStore.scopes ?? []) {
      expect(envOf(deploymentOf(objects, appId as ChartAppId)).SITTER_STATE_LOCK_STORE?.value).toBe('none');
    }
  });

  it('when the state store type is redis, then the state store is state.redis and the apps lock their writes', () => {
    const { objects } = variant('state store redis');
    const componentsOf = ofKind<DaprComponent>(objects, 'Component');
    const stateStore = named(componentsOf, Components.stateStore);

    expect(stateStore.spec.type).toBe('state.redis');
    expect(componentsOf.map((component) => component.spec.type)).toContain('lock.redis');
    for (const appId of stateStore.scopes ?? []) {
      expect(envOf(deploymentOf(objects, appId as ChartAppId)).SITTER_STATE_LOCK_STORE?.value).toBe(
        Components.lockStore,
      );
    }
  });

  it('when the state store type is postgresql with a secret and pool of its own, then it is state.postgresql v2 from that secret, no lock store is rendered and the apps lock nothing', () => {
    const { objects } = renderChart(ensureTools(), {
      set: {
        'dapr.stateStore.type': 'postgresql',
        'dapr.stateStore.postgresql.connectionStringSecret.name': 'pg-eu',
        'dapr.stateStore.postgresql.maxConns': '12',
      },
    });
    const componentsOf = ofKind<DaprComponent>(objects, 'Component');
    const stateStore = named(componentsOf, Components.stateStore);
    const stateStoreApps = stateStore.scopes ?? [];

    expect(stateStore.spec).toEqual(expect.objectContaining({ type: 'state.postgresql', version: 'v2' }));
    expect(metadataEntry(stateStore, 'connectionString')).toEqual({
      name: 'connectionString',
      secretKeyRef: { name: 'pg-eu', key: 'connectionString' },
    });
    expect(metadataValue(stateStore, 'keyPrefix')).toBe('appid');
    expect(metadataValue(stateStore, 'maxConns')).toBe('12');
    expect(metadataEntry(stateStore, 'redisHost')).toBeUndefined();
    expect(componentsOf.filter((component) => component.spec.type.startsWith('lock.'))).toEqual([]);
    expect([...stateStoreApps].sort()).toEqual([...expectedComponentUsers[Components.stateStore]].sort());
    for (const appId of stateStoreApps) {
      expect(envOf(deploymentOf(objects, appId as ChartAppId)).SITTER_STATE_LOCK_STORE?.value).toBe('none');
    }
  });

  it('when the state store type is neither redis nor postgresql, then the chart refuses to render', () => {
    expect(() => renderChart(ensureTools(), { set: { 'dapr.stateStore.type': 'mongodb' } })).toThrow(
      /stateStore.*type|type.*redis.*postgresql/s,
    );
  });

  it('when rendered with default values, then the decliner is the consumer of job-applications.declines and no Dapr Subscription routes that topic to the job service', () => {
    const { objects, topics } = variant('default values');
    const topic = Topics.applicationDeclines;
    const pubsub = named(ofKind<DaprComponent>(objects, 'Component'), Components.pubsub);
    const subscribing = parseTopicScopes(metadataValue(pubsub, 'subscriptionScopes'));
    const forTopic = ofKind<DaprSubscription>(objects, 'Subscription').filter(
      (subscription) => subscription.spec.topic === topic,
    );
    const env = envOf(deploymentOf(objects, AppIds.decliner));

    expect(kafkaConsumersOf(topics, topic)).toEqual(expectedKafkaConsumers[topic]);
    expect(deployedAppIds(objects)).toEqual(expect.arrayContaining([AppIds.decliner, AppIds.job]));
    expect(forTopic.filter((subscription) => subscription.scopes?.includes(AppIds.job))).toEqual([]);
    expect([...subscribing.entries()].filter(([, subscribed]) => subscribed.includes(topic))).toEqual([]);
    // The job service is on the pub/sub component only to publish its domain events: it subscribes to nothing.
    expect(subscribing.get(AppIds.job)).toEqual([]);
    expect(pubsub.scopes).not.toContain(AppIds.decliner);
    expect(env.KAFKA_BROKERS?.value).toBe(metadataValue(pubsub, 'brokers'));
    expect(env.KAFKA_TLS?.value).toBe('false');
    expect(env.KAFKA_SASL_MECHANISM).toBeUndefined();
  });

  it.each([AppIds.decliner, AppIds.gateway])(
    'when rendered with production values, then the %s reaches Kafka over TLS trusting the cluster CA, as a SASL user of its own',
    (appId) => {
      const { objects } = variant('production values');
      const pubsub = named(ofKind<DaprComponent>(objects, 'Component'), Components.pubsub);
      const decliner = deploymentOf(objects, appId);
      const env = envOf(decliner);
      const otherConsumers = [AppIds.decliner, AppIds.gateway].filter((other) => other !== appId);
      const componentPassword = metadataEntry(pubsub, 'saslPassword')?.secretKeyRef;
      const componentCa = metadataEntry(pubsub, 'caCert')?.secretKeyRef;
      const podSpec = decliner?.spec.template.spec;
      const caVolume = podSpec?.volumes?.find((volume) => volume.secret?.secretName === componentCa?.name);
      const caMount = podSpec?.containers[0].volumeMounts?.find((mount) => mount.name === caVolume?.name);

      expect(env.KAFKA_BROKERS?.value).toBe(metadataValue(pubsub, 'brokers'));
      expect(env.KAFKA_TLS?.value).toBe('true');
      expect(env.KAFKA_SASL_MECHANISM?.value).toBe('scram-sha-512');
      expect(env.KAFKA_SASL_USERNAME?.value).toBeTruthy();
      expect(env.KAFKA_SASL_USERNAME?.value).not.toBe(metadataValue(pubsub, 'saslUsername'));
      expect(env.KAFKA_SASL_PASSWORD?.value).toBeUndefined();
      expect(env.KAFKA_SASL_PASSWORD?.valueFrom?.secretKeyRef?.name).toBeTruthy();
      expect(env.KAFKA_SASL_PASSWORD?.valueFrom?.secretKeyRef?.name).not.toBe(componentPassword?.name);
      expect(metadataEntry(pubsub, 'caCert')?.value).toBeUndefined();
      expect(componentCa?.name).toBeTruthy();
      expect(caVolume?.secret?.items).toEqual([{ key: componentCa?.key, path: componentCa?.key }]);
      expect(caMount?.readOnly).toBe(true);
      expect(env.KAFKA_CA_FILE?.value).toBe(`${caMount?.mountPath}/${componentCa?.key}`);
      for (const other of otherConsumers) {
        expect(envOf(deploymentOf(objects, other)).KAFKA_SASL_USERNAME?.value).not.toBe(env.KAFKA_SASL_USERNAME?.value);
      }
    },
  );

  it('when rendered with default values, then the gateway reads domain.events straight from Kafka with the pub/sub brokers, which only the services that record events may publish', () => {
    const { objects, topics } = variant('default values');
    const topic = LiveTopics.domainEvents;
    const pubsub = named(ofKind<DaprComponent>(objects, 'Component'), Components.pubsub);
    const publishing = parseTopicScopes(metadataValue(pubsub, 'publishingScopes'));
    const subscribing = parseTopicScopes(metadataValue(pubsub, 'subscriptionScopes'));
    const env = envOf(deploymentOf(objects, AppIds.gateway));

    expect(kafkaConsumersOf(topics, topic)).toEqual(expectedKafkaConsumers[topic]);
    expect(
      ofKind<DaprSubscription>(objects, 'Subscription').map((subscription) => subscription.spec.topic),
    ).not.toContain(topic);
    expect([...subscribing.entries()].filter(([, subscribed]) => subscribed.includes(topic))).toEqual([]);
    expect(
      [...publishing.entries()]
        .filter(([, published]) => published.includes(topic))
        .map(([appId]) => appId)
        .sort(),
    ).toEqual([...(expectedPublishers[topic] ?? [])].sort());
    expect(pubsub.scopes).not.toContain(AppIds.gateway);
    expect(env.KAFKA_BROKERS?.value).toBe(metadataValue(pubsub, 'brokers'));
    expect(env.KAFKA_TLS?.value).toBe('false');
    expect(env.KAFKA_SASL_MECHANISM).toBeUndefined();
  });

  it('when rendered with production values, whose metricsFrom is set, then the gateway’s port (a Kafka consumer that serves no /metrics) is not opened to the scrapers', () => {
    const { objects, metricsFrom } = variant('production values');
    const gateway = deploymentOf(objects, AppIds.gateway)!;
    const opensToScrapers = ofKind<NetworkPolicy>(objects, 'NetworkPolicy').filter(
      (policy) =>
        selects(policy.spec.podSelector.matchLabels, gateway.spec.template.metadata.labels) &&
        (policy.spec.ingress ?? []).some(
          (rule) =>
            JSON.stringify(rule.from) === JSON.stringify(metricsFrom) &&
            (rule.ports ?? []).some((port) => port.port === 'http'),
        ),
    );

    expect(metricsFrom.length).toBeGreaterThan(0);
    expect(opensToScrapers.map((policy) => policy.metadata.name)).toEqual([]);
  });

  it('when rendered with default values, then the decliner runs with its own app id and the job service accepts its calls', () => {
    const { objects } = variant('default values');
    const jobConfiguration = named(ofKind<DaprConfiguration>(objects, 'Configuration'), 'sitter-job');

    expect(deployedAppIds(objects)).toContain(AppIds.decliner);
    expect(deployedAppIds(variant('production values').objects)).toContain(AppIds.decliner);
    expect(deployedAppIds(variant('decliner disabled').objects)).not.toContain(AppIds.decliner);
    expect(jobConfiguration.spec.accessControl?.policies?.map((policy) => policy.appId)).toContain(AppIds.decliner);
  });

  it('when rendered with default values, then the payments sandbox answers payment requests; production values leave that to the partner', () => {
    const defaults = variant('default values').objects;
    const subscriptions = ofKind<DaprSubscription>(defaults, 'Subscription').filter((subscription) =>
      subscription.scopes?.includes(paymentsSandbox),
    );
    const pubsub = named(ofKind<DaprComponent>(defaults, 'Component'), Components.pubsub);
    const publishing = parseTopicScopes(metadataValue(pubsub, 'publishingScopes'));

    expect(deployedAppIds(defaults)).toContain(paymentsSandbox);
    expect(subscriptions.map((subscription) => subscription.spec.topic)).toEqual(['payments.requests']);
    expect(publishing.get(paymentsSandbox)).toContain('payments.results');
    expect(deployedAppIds(variant('production values').objects)).not.toContain(paymentsSandbox);
  });
});
