import { spawnSync } from 'node:child_process';
import path from 'node:path';

const repoRoot = path.join(__dirname, '..', '..', '..', '..');

/** The generator's CLI in a child process: jest's module loader cannot require the ES modules it depends on. */
describe('the resolver types generated from the schema', () => {
  it('when generated from type-defs.ts, then they match the committed file (npm run graphql:types -- --check)', () => {
    const check = spawnSync('npm', ['run', '-s', 'graphql:types', '--', '--check'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });

    expect({ status: check.status, stale: /stale/.test(check.stdout + check.stderr) }).toEqual({
      status: 0,
      stale: false,
    });
  });
});
