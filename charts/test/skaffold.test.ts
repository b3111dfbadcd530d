import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { appIdOf, named, ofKind, type Deployment, type Manifest, type Service } from './support/manifests';
import {
  daprCrdFiles,
  ensureTools,
  problems,
  readYamlFiles,
  renderChart,
  repoRoot,
  TOOL_INSTALL_TIMEOUT_MS,
  validateAgainstJsonSchema,
  validateManifests,
  type Tools,
} from './support/tools';

/** The skaffold release whose schema (docs-v2/content/en/schemas) skaffold.yaml is checked against. */
const SKAFFOLD_SCHEMA_VERSION = 'v4beta13';

interface Artifact {
  image: string;
  docker: { dockerfile: string; target?: string; buildArgs?: Record<string, string> };
  sync?: { manual?: { src: string; dest: string }[] };
}

interface HelmRelease {
  name: string;
  chartPath: string;
  namespace: string;
  setValueTemplates?: Record<string, string>;
  setValues?: Record<string, string | number | boolean>;
  setFiles?: Record<string, string>;
}

interface BuildAndDeploy {
  build: { artifacts: Artifact[] };
  deploy: { helm: { releases: HelmRelease[] } };
}

interface SkaffoldConfig extends BuildAndDeploy {
  apiVersion: string;
  profiles: (BuildAndDeploy & {
    name: string;
    portForward?: { resourceType: string; resourceName: string; namespace: string; port: number; localPort: number }[];
  })[];
}

/** skaffold's image variables for an artifact: IMAGE_REPO_<image with non-alphanumerics as _>. */
const fakeImageVariables = (artifacts: Artifact[]): Record<string, string> =>
  Object.fromEntries(
    artifacts.flatMap((artifact) => {
      const key = artifact.image.replace(/[^a-zA-Z0-9]/g, '_');
      return [
        [`IMAGE_REPO_${key}`, `registry.test/${artifact.image}`],
        [`IMAGE_TAG_${key}`, `built-${artifact.image}`],
      ];
    }),
  );

const applyTemplates = (templates: Record<string, string>, variables: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(templates).map(([key, template]) => [
      key,
      template.replace(/\{\{\s*\.(\w+)\s*\}\}/g, (_match, name: string) => {
        if (!(name in variables)) throw new Error(`skaffold provides no ${name} (in ${key})`);
        return variables[name];
      }),
    ]),
  );

/** A skaffold sync glob as a RegExp over repository-relative paths ("*" within a folder, "**" across folders). */
const globToRegExp = (glob: string): RegExp => {
  const pattern = glob
    .split('/')
    .map((part) =>
      part === '**' ? '(?:[^/]+/)*' : `${part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}/`,
    )
    .join('');
  return new RegExp(`^${pattern.replace(/\/$/, '')}$`);
};

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (entry === 'node_modules') return [];
    return statSync(path).isDirectory() ? filesUnder(path) : [relative(repoRoot, path)];
  });

describe('skaffold.yaml', () => {
  let tools: Tools;
  let config: SkaffoldConfig;
  let dev: SkaffoldConfig['profiles'][number];

  beforeAll(() => {
    tools = ensureTools();
    [config] = readYamlFiles<SkaffoldConfig>(tools, [join(repoRoot, 'skaffold.yaml')]);
    dev = config.profiles.find((profile) => profile.name === 'dev') as SkaffoldConfig['profiles'][number];
  }, TOOL_INSTALL_TIMEOUT_MS);

  it(`when validated against skaffold's ${SKAFFOLD_SCHEMA_VERSION} JSON schema, then it has no error`, () => {
    const schema = join(tools.schemas, 'skaffold', `${SKAFFOLD_SCHEMA_VERSION}.json`);

    const errors = validateAgainstJsonSchema(tools, schema, join(repoRoot, 'skaffold.yaml'));

    expect(config.apiVersion).toBe(`skaffold/${SKAFFOLD_SCHEMA_VERSION}`);
    expect(errors).toEqual([]);
  });

  it('when the chart renders its Deployments, then each has an artifact built from its service folder', () => {
    const deployments = ofKind<Deployment>(renderChart(tools).objects, 'Deployment');
    for (const build of [config.build, dev.build]) {
      const services = build.artifacts.map((artifact) => artifact.docker.buildArgs?.SERVICE);

      expect([...services].sort()).toEqual(
        deployments.map((deployment) => deployment.spec.template.spec.containers[0].name).sort(),
      );
      for (const artifact of build.artifacts) {
        const service = artifact.docker.buildArgs?.SERVICE ?? '';
        expect(artifact.image).toBe(`sitter-${service}`);
        expect(existsSync(join(repoRoot, 'services', service, 'src/main.ts'))).toBe(true);
        expect(existsSync(join(repoRoot, artifact.docker.dockerfile))).toBe(true);
      }
    }
  });

  it('when skaffold fills in the image values, then every Deployment runs the image built for it', () => {
    for (const { build, deploy } of [config, dev]) {
      const [release] = deploy.helm.releases;
      const set = applyTemplates(release.setValueTemplates ?? {}, fakeImageVariables(build.artifacts));

      const deployments = ofKind<Deployment>(renderChart(tools, { release: release.name, set }).objects, 'Deployment');

      for (const deployment of deployments) {
        const service = deployment.spec.template.spec.containers[0].name;
        expect(deployment.spec.template.spec.containers[0].image).toBe(
          `registry.test/sitter-${service}:built-sitter-${service}`,
        );
      }
      expect(release.chartPath).toBe('charts/sitter');
    }
  });

  describe('dev profile', () => {
    let devObjects: Manifest[];
    let devYaml: string;
    const scratch = mkdtempSync(join(tmpdir(), 'sitter-skaffold-'));

    beforeAll(() => {
      const [release] = dev.deploy.helm.releases;
      const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const set: Record<string, string> = {
        ...applyTemplates(release.setValueTemplates ?? {}, fakeImageVariables(dev.build.artifacts)),
        ...Object.fromEntries(Object.entries(release.setValues ?? {}).map(([key, value]) => [key, String(value)])),
      };
      const publicKeyFile = join(scratch, 'public.pem');
      writeFileSync(publicKeyFile, publicKey.export({ type: 'spki', format: 'pem' }).toString());
      const setFile = Object.fromEntries(Object.keys(release.setFiles ?? {}).map((key) => [key, publicKeyFile]));
      const rendered = renderChart(tools, { release: release.name, namespace: release.namespace, set, setFile });
      devObjects = rendered.objects;
      devYaml = rendered.yaml;
    });

    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    it('when its values are rendered, then every object is still valid and the gateway verifies dev tokens by key', () => {
      const gatewayConfig = named(ofKind<Manifest>(devObjects, 'ConfigMap'), 'sitter-gateway');

      expect(problems(validateManifests(tools, ['-'], daprCrdFiles(tools), devYaml))).toEqual([]);
      expect(gatewayConfig.data?.JWT_PUBLIC_KEY).toContain('BEGIN PUBLIC KEY');
      expect(gatewayConfig.data?.JWKS_URI).toBeUndefined();
      expect(gatewayConfig.data?.JWT_ISSUER).toBe('sitter-dev-issuer');
    });

    it('when port-forwarding, then it targets the rendered gateway Service and port', () => {
      const [forward] = dev.portForward ?? [];
      const service = named(ofKind<Service>(devObjects, 'Service'), forward.resourceName);
      const gateway = ofKind<Deployment>(devObjects, 'Deployment').find(
        (deployment) => appIdOf(deployment) === 'gateway',
      );

      expect(forward).toMatchObject({ resourceType: 'service', namespace: dev.deploy.helm.releases[0].namespace });
      expect(service.spec.ports.map((port) => port.port)).toContain(forward.port);
      expect(service.spec.selector['app.kubernetes.io/component']).toBe('gateway');
      expect(gateway?.spec.template.spec.containers[0].ports?.[0].containerPort).toBe(forward.port);
    });

    it('when a TypeScript source changes, then a sync rule of every artifact copies it into the dev image', () => {
      const sources = [...filesUnder(join(repoRoot, 'services')), ...filesUnder(join(repoRoot, 'packages'))].filter(
        (file) => /\/src\/.*\.ts$/.test(file),
      );
      expect(sources.length).toBeGreaterThan(0);
      for (const artifact of dev.build.artifacts) {
        const rules = (artifact.sync?.manual ?? []).map((rule) => globToRegExp(rule.src));

        expect(artifact.docker.target).toBe('dev');
        for (const source of sources)
          expect({ source, synced: rules.some((rule) => rule.test(source)) }).toEqual({ source, synced: true });
        for (const rule of artifact.sync?.manual ?? []) expect(rule.dest).toBe('.');
      }
    });

    it('when the dev image runs, then it is still non-root and only its root filesystem is writable', () => {
      for (const deployment of ofKind<Deployment>(devObjects, 'Deployment')) {
        const securityContext = deployment.spec.template.spec.containers[0].securityContext;

        expect(securityContext).toMatchObject({
          runAsNonRoot: true,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: false,
        });
      }
    });
  });
});
