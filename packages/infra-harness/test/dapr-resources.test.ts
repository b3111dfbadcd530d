import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AppIds, Components, LiveTopics, PartnerTopics, Topics, subscriptionRoute } from '@sitter/contracts';
import {
  DaprResourceEnv,
  deadLetterTopic,
  renderDaprResources,
  renderResiliency,
  renderSelfHostedResources,
  systemNameResolutionFile,
  systemTopics,
} from '../src';
import { REPO_ROOT } from '../src/tools';

/** Reads "app=topicA,topicB;app2=topicC" from a rendered pubsub component. */
function topicScopes(component: string, name: string): Record<string, string[]> {
  const value = new RegExp(`- name: ${name}\\n\\s+value: '([^']*)'`).exec(component)?.[1] ?? '';
  return Object.fromEntries(
    value
      .split(';')
      .filter(Boolean)
      .map((entry) => {
        const [app, topics] = entry.split('=');
        return [app, topics.split(',')];
      }),
  );
}

describe('Dapr resources rendered from the contracts', () => {
  it('when the committed dapr-components files are read, then they are exactly what the contracts render', () => {
    // Arrange
    const rendered = renderSelfHostedResources();
    const dir = path.join(REPO_ROOT, 'dapr-components');

    // Act
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.yaml'))
      .map((file) => file.split(path.sep).join('/'));
    const committed = files.map((file) => [file, readFileSync(path.join(dir, file), 'utf8')]);

    // Assert: on a difference, run `npm run infra:components`.
    expect(Object.fromEntries(committed)).toEqual(Object.fromEntries(rendered));
  });

  it('when the self-hosted resources are rendered, then state.postgresql without a lock store and state.redis with lock.redis each have a folder, and the shared ones no state store', () => {
    // Act
    const files = renderSelfHostedResources();

    // Assert
    expect([...files.keys()].sort()).toEqual([
      'configuration.yaml',
      'pubsub.yaml',
      'resiliency.yaml',
      'state-postgresql/statestore.yaml',
      'state-redis/lockstore.yaml',
      'state-redis/statestore.yaml',
      'subscriptions.yaml',
    ]);
    expect(files.get('state-postgresql/statestore.yaml')).toContain('type: state.postgresql\n');
    expect(files.get('state-postgresql/statestore.yaml')).toContain(
      `envRef: ${DaprResourceEnv.postgresConnectionString}`,
    );
    expect(files.get('state-redis/statestore.yaml')).toContain('type: state.redis\n');
    expect(files.get('state-redis/lockstore.yaml')).toContain('type: lock.redis\n');
    expect(files.get('resiliency.yaml')).toBe(renderResiliency());
  });

  it('when rendered for the system, then the components carry the contract names and their owners as scopes', () => {
    // Act
    const files = renderDaprResources();

    // Assert
    const stateStore = files.get('statestore.yaml') ?? '';
    const pubsub = files.get('pubsub.yaml') ?? '';
    expect(stateStore).toContain(`name: ${Components.stateStore}\n`);
    expect(stateStore).toContain(`scopes:\n  - ${AppIds.user}\n  - ${AppIds.job}\n  - ${AppIds.booking}\n`);
    expect(stateStore).not.toContain(`- ${AppIds.gateway}`);
    expect(pubsub).toContain(`name: ${Components.pubsub}\n`);
    const publishing = topicScopes(pubsub, 'publishingScopes');
    const subscribing = topicScopes(pubsub, 'subscriptionScopes');
    expect(publishing[AppIds.booking]).toContain(Topics.applicationDeclines);
    // The decliner reads the declines topic straight from Kafka; the job service only publishes its domain events
    // (which the gateways read straight from Kafka too).
    expect(publishing[AppIds.job]).toEqual([LiveTopics.domainEvents]);
    expect(publishing[AppIds.user]).toEqual([LiveTopics.domainEvents]);
    expect(subscribing[AppIds.job]).toBeUndefined();
    expect(subscribing[AppIds.booking]).toEqual([Topics.paymentResults, Topics.bookingEvents]);
  });

  it('when rendered for test app ids, then both components are scoped to exactly those and no topic is restricted', () => {
    // Act
    const files = renderDaprResources({ apps: ['contract-a', 'contract-b'] });

    // Assert
    for (const content of files.values()) expect(content).toMatch(/scopes:\n {2}- contract-a\n {2}- contract-b\n$/);
    expect(files.get('pubsub.yaml')).not.toContain('publishingScopes');
  });

  it('when the topics to create are listed, then every contract topic comes with its dead-letter topic', () => {
    // Act
    const names = systemTopics.map((topic) => topic.name);

    // Assert
    for (const topic of [...Object.values(Topics), ...Object.values(PartnerTopics)])
      expect(names).toEqual(expect.arrayContaining([topic, deadLetterTopic(topic)]));
    expect(systemTopics.every((topic) => topic.partitions >= 1)).toBe(true);
  });

  it('when rendered for the system, then the resiliency redelivers messages, breaks calls, and targets every invoked app', () => {
    // Act
    const resiliency = renderDaprResources().get('resiliency.yaml') ?? '';

    // Assert
    expect(resiliency).toContain('kind: Resiliency');
    expect(resiliency).toMatch(/delivery:\n\s+policy: exponential\n\s+maxInterval: 30s\n\s+maxRetries: 8\n/);
    for (const app of [AppIds.user, AppIds.job, AppIds.booking]) expect(resiliency).toContain(`      ${app}:\n`);
    expect(resiliency).toMatch(
      new RegExp(
        `${Components.stateStore}:\\n(\\s+#.*\\n)*\\s+outbound:\\n\\s+timeout: state\\n\\s+circuitBreaker: state\\n`,
      ),
    );
    expect(resiliency).toMatch(/inbound:\n\s+timeout: delivery\n\s+retry: delivery\n/);
    expect(resiliency).toContain(`scopes:\n  - ${AppIds.gateway}\n`);
  });

  it('when rendered for the system, then state and key locks are kept in the Redis each sidecar names', () => {
    // Act
    const files = renderDaprResources();
    const stateStore = files.get('statestore.yaml') ?? '';
    const lockStore = files.get('lockstore.yaml') ?? '';

    // Assert
    expect(stateStore).toContain('type: state.redis\n');
    expect(lockStore).toContain(`name: ${Components.lockStore}\n`);
    expect(lockStore).toContain('type: lock.redis\n');
    for (const component of [stateStore, lockStore]) {
      expect(component).toContain(`- name: redisHost\n      envRef: ${DaprResourceEnv.redisHost}\n`);
      expect(component).toContain(`scopes:\n  - ${AppIds.user}\n  - ${AppIds.job}\n  - ${AppIds.booking}\n`);
    }
  });

  it('when rendered for the system, then each subscribing app has a Subscription per topic, routed to the app and dead-lettered', () => {
    // Act
    const subscriptions = (renderDaprResources().get('subscriptions.yaml') ?? '').split('---\n');

    // Assert
    const declared = subscriptions.map((document) => ({
      topic: /\n {2}topic: (.+)\n/.exec(document)?.[1],
      route: /\n {4}default: (.+)\n/.exec(document)?.[1],
      deadLetterTopic: /\n {2}deadLetterTopic: (.+)\n/.exec(document)?.[1],
      scopes: /\nscopes:\n((?: {2}- .+\n)+)/.exec(document)?.[1],
    }));
    expect(declared).toEqual(
      [Topics.paymentResults, Topics.bookingEvents].map((topic) => ({
        topic,
        route: subscriptionRoute(topic),
        deadLetterTopic: deadLetterTopic(topic),
        scopes: `  - ${AppIds.booking}\n`,
      })),
    );
  });

  it('when rendered for the system, then the Configuration resolves names through a relative sqlite file, and test renders have none', () => {
    // Act
    const system = renderDaprResources().get('configuration.yaml') ?? '';
    const forTests = renderDaprResources({ apps: ['contract-a'] });

    // Assert: relative to each daprd's working directory, which the launcher makes one per run.
    expect(system).toContain('kind: Configuration\n');
    expect(system).toContain(
      `    component: sqlite\n    configuration:\n      connectionString: '${systemNameResolutionFile}'\n`,
    );
    expect(path.isAbsolute(systemNameResolutionFile)).toBe(false);
    expect(forTests.has('configuration.yaml')).toBe(false);
  });

  it('when rendered for test app ids, then no Subscription is written unless asked for', () => {
    // Act
    const plain = renderDaprResources({ apps: ['partner'] });
    const asked = renderDaprResources({ apps: ['partner'], subscriptions: [{ app: 'partner', topic: 'orders' }] });

    // Assert
    expect(plain.has('subscriptions.yaml')).toBe(false);
    expect(asked.get('subscriptions.yaml')).toContain('  topic: orders\n');
    expect(asked.get('subscriptions.yaml')).toContain('scopes:\n  - partner\n');
  });

  it('when rendered for the system, then no invoked app has a circuit breaker, since daprd counts refusals as failures', () => {
    // Act
    const resiliency = renderResiliency();

    // Assert: a run of 409s would otherwise open an endpoint's circuit for every caller (and keep it open).
    const apps = resiliency.slice(resiliency.indexOf('    apps:\n'), resiliency.indexOf('    components:\n'));
    expect(apps).toMatch(/user:\n\s+timeout: invoke\n\s+retry: invoke\n/);
    expect(apps).not.toContain('circuitBreaker');
    expect(resiliency).not.toMatch(/^ {6}invoke:\n {8}maxRequests/m);
  });

  it('when rendered with test resiliency, then a message is delivered the asked number of times at a constant pace', () => {
    // Act
    const resiliency = renderResiliency({
      apps: ['contract-a'],
      resiliency: { deliveryAttempts: 3, deliveryBackoff: { policy: 'constant', duration: '1s' } },
    });

    // Assert
    expect(resiliency).toMatch(/delivery:\n\s+policy: constant\n\s+duration: 1s\n\s+maxRetries: 2\n/);
    expect(resiliency).toMatch(/apps:\n {6}contract-a:\n/);
  });

  it('when delivery attempts are fewer than one, then rendering refuses them', () => {
    // Act
    const render = () => renderResiliency({ resiliency: { deliveryAttempts: 0 } });

    // Assert
    expect(render).toThrow(/deliveryAttempts/);
  });

  it('when only the state store on sqlite is asked for, then no pubsub is written and the store is state.sqlite on that file', () => {
    // Act
    const files = renderDaprResources({
      apps: ['contract-a'],
      components: ['stateStore'],
      stateStore: { type: 'sqlite', databaseFile: '/tmp/contract/state.db' },
    });

    // Assert
    expect([...files.keys()].sort()).toEqual(['resiliency.yaml', 'statestore.yaml']);
    expect(files.get('statestore.yaml')).not.toContain('redisHost');
    expect(files.get('statestore.yaml')).toContain('type: state.sqlite\n');
    expect(files.get('statestore.yaml')).toContain('value: "file:/tmp/contract/state.db"\n');
    expect(files.get('resiliency.yaml')).not.toContain(`${Components.pubsub}:`);
  });

  it('when the state store on postgresql is asked for, then it is state.postgresql v2 reading its connection string from the environment', () => {
    // Act
    const store = renderDaprResources({
      apps: ['contract-a'],
      components: ['stateStore'],
      stateStore: { type: 'postgresql' },
    }).get('statestore.yaml');

    // Assert
    expect(store).toContain('  type: state.postgresql\n  # v2');
    expect(store).toContain('  version: v2\n');
    expect(store).toContain('    - name: connectionString\n      envRef: SITTER_POSTGRES_CONNECTION_STRING\n');
    expect(store).toContain('    - name: keyPrefix\n      value: appid\n');
    expect(store).not.toContain('redisHost');
    expect(store).not.toContain('maxConns');
  });

  it('when a postgresql pool size is given, then the component pools that many connections', () => {
    // Act
    const store = renderDaprResources({
      apps: ['contract-a'],
      components: ['stateStore'],
      stateStore: { type: 'postgresql', maxConns: 8 },
    }).get('statestore.yaml');

    // Assert
    expect(store).toContain("    - name: maxConns\n      value: '8'\n");
  });

  it('when no component is asked for, then only the resiliency is written, with no component targets', () => {
    // Act
    const files = renderDaprResources({ apps: ['caller', 'target'], components: [] });

    // Assert
    expect([...files.keys()]).toEqual(['resiliency.yaml']);
    expect(files.get('resiliency.yaml')).toContain('    components: {}\n');
  });
});
