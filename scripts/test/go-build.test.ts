import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '@sitter/infra-harness/tools';

const GO_BUILD = path.join(REPO_ROOT, 'tools/go-build.sh');

/** A tool folder like tools/daprd: its own go.mod and main.go, and a build.sh that names them. */
const BUILD_SH = `#!/usr/bin/env bash
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "${GO_BUILD}"
tool=hello
version=v0.0.1
key_files=("$here/go.mod" "$here/main.go")
key_flags="-s -w"
binaries=(hello)
prints=binary
build_note="seconds"
build_into() { (cd "$here" && go_build -ldflags "$key_flags" -o "$1/hello" .); }
go_tool_main "$@"
`;

const HELLO = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello from the cache") }\n';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('building a pinned Go tool into the cache (tools/go-build.sh)', () => {
  let dir: string;
  let cache: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sitter-go-build-'));
    cache = path.join(dir, 'cache');
    mkdirSync(path.join(dir, 'hello'));
    writeFileSync(path.join(dir, 'hello/go.mod'), 'module example.com/hello\n\ngo 1.21\n');
    writeFileSync(path.join(dir, 'hello/main.go'), HELLO);
    writeFileSync(path.join(dir, 'hello/build.sh'), BUILD_SH);
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const build = (...args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      const child = spawn('bash', [path.join(dir, 'hello/build.sh'), ...args], {
        env: { ...process.env, SITTER_CACHE_DIR: cache },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (code) => resolve({ code, stdout: stdout.trim(), stderr }));
    });

  it('when the tool is not built, then --path exits 3 naming the provisioning command and builds nothing', async () => {
    // Act
    const run = await build('--path');

    // Assert
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("hello v0.0.1 is not built: run 'npm run infra:provision'");
    expect(existsSync(path.join(cache, 'hello'))).toBe(false);
  });

  it('when built twice, then the second run reuses the binary of the first and --path finds it', async () => {
    // Arrange
    const first = await build();

    // Act
    const second = await build();
    const found = await build('--path');

    // Assert
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/hello v0\.0\.1: built in \d+s/);
    expect(second.stderr).toContain('hello v0.0.1: cached at');
    expect(second.stdout).toBe(first.stdout);
    expect(found).toEqual({ code: 0, stdout: first.stdout, stderr: '' });
    expect(execFileSync(first.stdout).toString()).toBe('hello from the cache\n');
  }, 120_000);

  it('when a pinned file changes, then the tool is built again into another folder', async () => {
    // Arrange
    const before = await build();
    writeFileSync(path.join(dir, 'hello/main.go'), HELLO.replace('from the cache', 'again'));

    // Act
    const after = await build();

    // Assert
    expect(after.stderr).toMatch(/built in/);
    expect(path.dirname(after.stdout)).not.toBe(path.dirname(before.stdout));
    expect(execFileSync(after.stdout).toString()).toBe('hello again\n');
  }, 120_000);

  it('when the build fails, then it exits non-zero and leaves nothing in the cache that --path would take', async () => {
    // Arrange
    writeFileSync(path.join(dir, 'hello/main.go'), 'package main\n\nfunc main() { not go }\n');

    // Act
    const run = await build();

    // Assert
    expect(run.code).not.toBe(0);
    expect(readdirSync(path.join(cache, 'hello'))).toEqual([]);
    expect((await build('--path')).code).toBe(3);
  }, 120_000);

  it('when two builds start at once, then one builds and the other waits for it and reuses its binary', async () => {
    // Act
    const [a, b] = await Promise.all([build(), build()]);

    // Assert
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(a.stdout).toBe(b.stdout);
    const stderr = [a.stderr, b.stderr];
    expect(stderr.filter((s) => /built in/.test(s))).toHaveLength(1);
    expect(stderr.filter((s) => s.includes('cached at'))).toHaveLength(1);
  }, 120_000);
});
