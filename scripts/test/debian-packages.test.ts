import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '@sitter/infra-harness/tools';

const ENSURE_DEBIAN = path.join(REPO_ROOT, 'scripts/infra/ensure-debian.sh');

/**
 * A stand-in for apt-get that behaves like dpkg's lock: a second transaction entered while one is running fails
 * with apt's own lock error. `install` puts an executable of each package's name into `bin`, so the script under
 * test finds the command afterwards. Every call is appended to `calls`.
 */
const FAKE_APT_GET = `#!/usr/bin/env bash
set -u
dir="$(dirname "$0")"
mkdir "$dir/inside" 2>/dev/null || { echo "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 1 (apt-get)" >&2; exit 100; }
trap 'rmdir "$dir/inside"' EXIT
echo "$*" >>"$dir/calls"
sleep 0.4
[ -n "\${FAKE_APT_FAIL:-}" ] && { echo "Reading package lists..."; echo "E: $FAKE_APT_FAIL" >&2; exit 100; }
if [[ " $* " == *" install "* ]]; then
  for arg in "$@"; do
    case "$arg" in -* | install | update | DPkg::*) ;; *) printf '#!/bin/sh\\n' >"$dir/bin/$arg"; chmod +x "$dir/bin/$arg" ;; esac
  done
fi
exit 0
`;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('installing Debian packages for provisioning', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sitter-fake-apt-'));
    mkdirSync(path.join(dir, 'bin'));
    writeFileSync(path.join(dir, 'apt-get'), FAKE_APT_GET);
    chmodSync(path.join(dir, 'apt-get'), 0o755);
    env = {
      ...process.env,
      PATH: `${path.join(dir, 'bin')}:${process.env.PATH ?? ''}`,
      SITTER_APT_GET: path.join(dir, 'apt-get'),
      SITTER_CACHE_DIR: path.join(dir, 'cache'),
    };
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const ensure = (needs: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> =>
    new Promise((resolve) => {
      const child = spawn('bash', [ENSURE_DEBIAN, ...needs], { env: { ...env, ...extraEnv } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  const calls = () => readFileSync(path.join(dir, 'calls'), 'utf8').trim().split('\n');

  it('when two runs each lack a package at once, then their apt-get transactions run one after the other', async () => {
    // Act: as two provisioning steps (or two clones' npm test) would, side by side.
    const [first, second] = await Promise.all([
      ensure(['sitter-fake-a=sitter-fake-a']),
      ensure(['sitter-fake-b=sitter-fake-b']),
    ]);

    // Assert: the fake fails a transaction entered while another runs, so success means they never overlapped.
    expect(first).toMatchObject({ code: 0, stdout: 'installed sitter-fake-a\n' });
    expect(second).toMatchObject({ code: 0, stdout: 'installed sitter-fake-b\n' });
    expect(calls()).toHaveLength(4);
    expect(calls().filter((call) => call.includes(' install '))).toHaveLength(2);
  });

  it('when several packages are missing, then one transaction installs them all and present ones are left alone', async () => {
    // Act
    const run = await ensure(['bash=bash', 'sitter-fake-c=sitter-fake-c', 'sitter-fake-d=sitter-fake-d']);

    // Assert
    expect(run).toMatchObject({ code: 0, stdout: 'installed sitter-fake-c sitter-fake-d\n' });
    expect(calls()).toEqual([
      '-q -o DPkg::Lock::Timeout=600 update',
      '-q -o DPkg::Lock::Timeout=600 install -y --no-install-recommends sitter-fake-c sitter-fake-d',
    ]);
  });

  it('when nothing is missing, then apt-get is not run', async () => {
    // Act
    const run = await ensure(['bash=bash']);

    // Assert
    expect(run).toMatchObject({ code: 0, stdout: 'nothing missing (bash)\n' });
    expect(existsSync(path.join(dir, 'calls'))).toBe(false);
  });

  it('when apt-get fails, then the last line of the output is apt’s own error', async () => {
    // Act
    const run = await ensure(['sitter-fake-e=sitter-fake-e'], {
      FAKE_APT_FAIL: 'Unable to locate package sitter-fake-e',
    });

    // Assert
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim().split('\n').pop()).toBe(
      'ensure-debian: apt-get update failed: E: Unable to locate package sitter-fake-e',
    );
  });
});

/**
 * A stand-in for apt-get whose `install postgresql` lays out Debian's server binaries (initdb, postgres, pg_isready)
 * under `lib/15/bin`, as the postgresql package does under /usr/lib/postgresql. Every call is appended to `calls`.
 */
const FAKE_APT_GET_POSTGRES = `#!/usr/bin/env bash
set -u
dir="$(dirname "$0")"
echo "$*" >>"$dir/calls"
if [[ " $* " == *" install "* && " $* " == *" postgresql "* ]]; then
  mkdir -p "$dir/lib/15/bin"
  for binary in initdb postgres pg_isready; do printf '#!/bin/sh\\n' >"$dir/lib/15/bin/$binary"; chmod +x "$dir/lib/15/bin/$binary"; done
fi
exit 0
`;

describe('installing PostgreSQL for provisioning', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sitter-fake-apt-pg-'));
    writeFileSync(path.join(dir, 'apt-get'), FAKE_APT_GET_POSTGRES);
    chmodSync(path.join(dir, 'apt-get'), 0o755);
    env = {
      ...process.env,
      SITTER_APT_GET: path.join(dir, 'apt-get'),
      SITTER_CACHE_DIR: path.join(dir, 'cache'),
      SITTER_POSTGRES_LIB: path.join(dir, 'lib'),
    };
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const ensurePostgres = (args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      const child = spawn('bash', [path.join(REPO_ROOT, 'scripts/infra/ensure-postgres.sh'), ...args], { env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  it('when no server binaries are installed, then --path says so and installs nothing', async () => {
    // Act
    const run = await ensurePostgres(['--path']);

    // Assert
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("run 'npm run infra:provision'");
    expect(existsSync(path.join(dir, 'calls'))).toBe(false);
  });

  it('when no server binaries are installed, then Debian’s postgresql is installed and its bin folder printed', async () => {
    // Act
    const run = await ensurePostgres([]);
    const again = await ensurePostgres([]);

    // Assert: installed once; the second run finds it.
    expect(run).toMatchObject({ code: 0, stdout: `${path.join(dir, 'lib', '15', 'bin')}\n` });
    expect(again.stdout).toBe(run.stdout);
    expect(readFileSync(path.join(dir, 'calls'), 'utf8').trim().split('\n')).toEqual([
      '-q -o DPkg::Lock::Timeout=600 update',
      '-q -o DPkg::Lock::Timeout=600 install -y --no-install-recommends postgresql',
    ]);
  });
});
