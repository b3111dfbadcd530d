import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../src/tools';

/** tools/kube/go.mod's requirements and replacements, as module → version. */
const goMod = readFileSync(path.join(REPO_ROOT, 'tools/kube/go.mod'), 'utf8');
const requirements = new Map(
  [...goMod.matchAll(/^(?:require )?\s*([\w./-]+) (v\S+)(?: \/\/ indirect)?$/gm)].map((match) => [match[1], match[2]]),
);
const replacements = new Map(
  [...goMod.matchAll(/^\s*([\w./-]+) => ([\w./-]+) (v\S+)$/gm)].map((match) => [match[1], `${match[2]} ${match[3]}`]),
);
const buildScript = readFileSync(path.join(REPO_ROOT, 'tools/kube/build.sh'), 'utf8');

describe('tools/kube pins', () => {
  const kubernetes = requirements.get('k8s.io/kubernetes') ?? '';
  const staging = kubernetes.replace(/^v1\./, 'v0.');

  it('when k8s.io/kubernetes is pinned, then it is a 1.34 release', () => {
    expect(kubernetes).toMatch(/^v1\.34\.\d+$/);
  });

  it('when a k8s.io staging module is required, then a replace line pins it to the same v0.34 patch release', () => {
    const stagingModules = [...requirements.keys()].filter(
      (module) =>
        module.startsWith('k8s.io/') &&
        ![
          'k8s.io/kubernetes',
          'k8s.io/klog/v2',
          'k8s.io/utils',
          'k8s.io/kube-openapi',
          'k8s.io/system-validators',
        ].includes(module) &&
        !module.startsWith('k8s.io/gengo'),
    );

    expect(stagingModules.length).toBeGreaterThan(20);
    for (const module of stagingModules) {
      expect({ module, replacedBy: replacements.get(module) }).toEqual({ module, replacedBy: `${module} ${staging}` });
    }
    for (const [module, target] of replacements)
      expect({ module, target }).toEqual({ module, target: `${module} ${staging}` });
  });

  it('when the binaries are built, then the API server reports the pinned version (helm checks kubeVersion against it)', () => {
    expect(buildScript).toContain('k8s.io/component-base/version');
    expect(buildScript).toMatch(/-X \$pkg\.gitVersion=\$version -X \$pkg\.gitMajor=\$major -X \$pkg\.gitMinor=\$minor/);
    expect(requirements.get('go.etcd.io/etcd/server/v3')).toMatch(/^v3\.6\.\d+$/);
  });
});
