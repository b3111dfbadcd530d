import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@sitter/infra-harness/tools';

const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');

interface LockEntry {
  version?: string;
  optionalDependencies?: Record<string, string>;
}

describe('the Node version and the lockfile', () => {
  const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, LockEntry> };
  const testedNode = read('.node-version').trim();

  it('when a locked package has optional dependencies (other platforms’ binaries), then each is in the lockfile, so npm ci accepts it on any platform', () => {
    // Arrange: npm resolves a dependency from the package's own folder upwards, as it would install it.
    const isLocked = (from: string, name: string) => {
      for (let dir = from; ; dir = dir.slice(0, Math.max(dir.lastIndexOf('/node_modules/'), 0))) {
        if (lock.packages[`${dir ? `${dir}/` : ''}node_modules/${name}`]) return true;
        if (dir === '') return false;
      }
    };

    // Act
    const missing = Object.entries(lock.packages).flatMap(([from, entry]) =>
      Object.keys(entry.optionalDependencies ?? {})
        .filter((name) => !isLocked(from, name))
        .map((name) => `${from} -> ${name}`),
    );

    // Assert: e.g. @swc/core's and esbuild's darwin and windows packages.
    expect(missing).toEqual([]);
    expect(lock.packages['node_modules/@swc/core-darwin-arm64']).toBeDefined();
  });

  it('when Node runs the tests, then it is the major version the runtime image is built on', () => {
    // Act
    const imageNode = /^ARG NODE_IMAGE=node:(\d+)-/m.exec(read('Dockerfile'))?.[1];
    const bundleTarget = /--target=node(\d+)/.exec(read('Dockerfile'))?.[1];

    // Assert
    expect(imageNode).toBe(testedNode.split('.')[0]);
    expect(bundleTarget).toBe(imageNode);
  });

  it('when the engines field names the oldest Node, then no locked dependency asks for a newer one', () => {
    // Arrange: the lowest version a range accepts (major * 1000 + minor), from the lower bound of each alternative.
    const lowest = (range: string) => {
      const ranges = range.split('||').map((part) => {
        const [, major = '0', minor = '0'] = /(\d+)(?:\.(\d+))?/.exec(part) ?? [];
        return Number(major) * 1000 + Number(minor);
      });
      return Math.min(...ranges);
    };
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;

    // Act
    const stricter = Object.entries(lock.packages)
      .map(([name, entry]) => [name, (entry as { engines?: { node?: string } }).engines?.node] as const)
      .filter(([, range]) => range !== undefined && lowest(range) > lowest(engines));

    // Assert
    expect(stricter).toEqual([]);
    expect(lowest(engines)).toBeGreaterThan(0);
    expect(lowest(engines)).toBeLessThanOrEqual(lowest(testedNode));
  });
});
