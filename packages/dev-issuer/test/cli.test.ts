import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import jwt from 'jsonwebtoken';
import { loadOrCreateSigningKey } from '../src';
import { withTempDataDir } from './helpers';

const run = promisify(execFile);
const repoRoot = join(__dirname, '..', '..', '..');

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const runCli = async (args: string[], dataDir: string): Promise<CliResult> => {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'packages/dev-issuer/src/cli.ts', ...args], {
      cwd: repoRoot,
      env: { ...process.env, DATA_DIR: dataDir },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
};

const lastLine = (output: string): string => output.trim().split('\n').at(-1) ?? '';

describe('dev token CLI', () => {
  const newDataDir = withTempDataDir();

  it('when called with a subject and a role, then the last stdout line is a token signed by the data dir key', async () => {
    const dataDir = await newDataDir();

    const result = await runCli(['--sub', 'alice', '--role', 'PARENT', '--expires', '8h'], dataDir);

    expect(result.code).toBe(0);
    const decoded = jwt.decode(lastLine(result.stdout), { complete: true }) as jwt.Jwt & { payload: jwt.JwtPayload };
    expect(decoded.payload).toMatchObject({ sub: 'alice', roles: ['PARENT'] });
    expect(decoded.payload.exp! - decoded.payload.iat!).toBe(8 * 3600);
    const key = await loadOrCreateSigningKey(dataDir);
    expect(decoded.header.kid).toBe(key.kid);
    expect(result.stderr).toContain('dev token for alice');
  });

  it('when an unknown option is given, then it prints usage on stderr and exits 2', async () => {
    const result = await runCli(['--sub', 'alice', '--role', 'PARENT', '--colour', 'blue'], await newDataDir());

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('usage:');
    expect(result.stdout).toBe('');
  });

  it('when the subject is missing, then it exits 2', async () => {
    const result = await runCli(['--role', 'PARENT'], await newDataDir());

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--sub is required');
  });

  it('when a role is not a Sitter role, then it exits 2 naming it', async () => {
    const result = await runCli(['--sub', 'alice', '--role', 'GARDENER'], await newDataDir());

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('GARDENER');
  });
});
