import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createLogger } from '@sitter/platform';
import { DataDirLockedError, EmbeddedRuntime } from '../src';
import { tempDir } from './temp-dir';

const logger = createLogger('lock-test', 'silent');

/** The pid of a process that has already exited. */
const deadPid = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', '']);
    child.once('error', reject);
    child.once('exit', () => resolve(child.pid!));
  });

describe('data dir lock', () => {
  let directory: { path: string; remove(): Promise<void> };

  beforeEach(async () => {
    directory = await tempDir();
  });

  afterEach(async () => {
    await directory.remove();
  });

  it('when a second runtime opens a data dir in use, then it refuses and names the holder', async () => {
    const holder = new EmbeddedRuntime({ logger, dataDir: directory.path });
    await holder.start();
    const intruder = new EmbeddedRuntime({ logger, dataDir: directory.path });

    const refusal = await intruder.start().then(
      () => undefined,
      (error: unknown) => error,
    );
    const storeRefusal = intruder.stateStore('job');

    await expect(storeRefusal).rejects.toBeInstanceOf(DataDirLockedError);
    await intruder.stop();
    await holder.stop();
    expect(refusal).toBeInstanceOf(DataDirLockedError);
    expect((refusal as DataDirLockedError).pid).toBe(process.pid);
    expect((refusal as Error).message).toContain(String(process.pid));
  });

  it('when the holder stops, then the lock file is gone and the next runtime takes the directory', async () => {
    const first = new EmbeddedRuntime({ logger, dataDir: directory.path });
    await first.start();
    const lockWhileRunning = JSON.parse(await readFile(join(directory.path, 'LOCK'), 'utf8')) as { pid: number };
    await first.stop();
    const lockAfterStop = existsSync(join(directory.path, 'LOCK'));

    const second = new EmbeddedRuntime({ logger, dataDir: directory.path });
    await second.start();
    await second.stop();

    expect(lockWhileRunning.pid).toBe(process.pid);
    expect(lockAfterStop).toBe(false);
  });

  it('when the lock was left by a process that is gone, then it is taken over', async () => {
    const pid = await deadPid();
    await writeFile(join(directory.path, 'LOCK'), `${JSON.stringify({ pid, owner: 'crashed' })}\n`);
    const runtime = new EmbeddedRuntime({ logger, dataDir: directory.path });

    await runtime.start();
    const lock = JSON.parse(await readFile(join(directory.path, 'LOCK'), 'utf8')) as { pid: number };
    await runtime.stop();

    expect(lock.pid).toBe(process.pid);
  });

  it('when the lock carries this pid but this process never took it, then it is taken over', async () => {
    // A container restarted on the same volume often gets the same pid as the run that crashed.
    await writeFile(join(directory.path, 'LOCK'), `${JSON.stringify({ pid: process.pid, owner: 'previous-run' })}\n`);
    const runtime = new EmbeddedRuntime({ logger, dataDir: directory.path });

    await runtime.start();
    const lock = JSON.parse(await readFile(join(directory.path, 'LOCK'), 'utf8')) as { owner: string };
    await runtime.stop();

    expect(lock.owner).not.toBe('previous-run');
  });

  it('when the lock is held by another live process, then it is refused', async () => {
    // pid 1 is always alive; the check must not depend on being allowed to signal it.
    await writeFile(join(directory.path, 'LOCK'), `${JSON.stringify({ pid: 1, owner: 'init' })}\n`);
    const runtime = new EmbeddedRuntime({ logger, dataDir: directory.path });

    await expect(runtime.start()).rejects.toThrow(/in use by process 1\b/);

    await runtime.stop();
    expect(await readFile(join(directory.path, 'LOCK'), 'utf8')).toContain('"owner":"init"');
  });
});
