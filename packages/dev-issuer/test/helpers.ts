import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh data directory per test, removed afterwards. */
export const withTempDataDir = () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async (): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), 'sitter-dev-issuer-'));
    dirs.push(dir);
    return dir;
  };
};
