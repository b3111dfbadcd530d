import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

interface LockContent {
  pid: number;
  /** Tells this process's own locks apart from a stale one left by an earlier process with the same pid. */
  owner: string;
}

/** Data directories locked by this process; a pid check alone cannot tell them apart from stale locks. */
const heldHere = new Map<string, string>();

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `data directory ${dataDir} is in use by process ${pid}; two runtimes must not share one ` +
        `(stop that process, or delete ${join(dataDir, 'LOCK')} if it is not a Sitter runtime)`,
    );
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  release(): Promise<void>;
}

/**
 * Takes `<dataDir>/LOCK` for this process. A lock whose process is gone is taken over; so is
 * one carrying this process's pid but not held by it (a container restarted with the same pid).
 */
export const lockDataDir = async (dataDir: string): Promise<DataDirLock> => {
  const directory = resolve(dataDir);
  const path = join(directory, 'LOCK');
  await mkdir(directory, { recursive: true });
  const mine: LockContent = { pid: process.pid, owner: randomUUID() };
  // Linking a complete temp file into place creates the lock atomically, content included.
  const temp = `${path}.${mine.owner}.tmp`;
  await writeFile(temp, `${JSON.stringify(mine)}\n`);
  try {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      if (await tryLink(temp, path)) {
        heldHere.set(directory, mine.owner);
        return { release: () => release(directory, path, mine.owner) };
      }
      const holder = await readLock(path);
      if (holder && isHeld(directory, holder)) throw new DataDirLockedError(directory, holder.pid);
      // Stale: remove it unless it changed hands meanwhile, then try again.
      const again = await readLock(path);
      if (again?.owner === holder?.owner) await rm(path, { force: true });
    }
  } finally {
    await rm(temp, { force: true });
  }
  throw new Error(`could not take the lock ${path}: it keeps changing hands`);
};

const tryLink = async (from: string, to: string): Promise<boolean> => {
  try {
    await link(from, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
};

const release = async (directory: string, path: string, owner: string): Promise<void> => {
  if (heldHere.get(directory) !== owner) return;
  heldHere.delete(directory);
  const current = await readLock(path);
  if (current?.owner === owner) await rm(path, { force: true });
};

const readLock = async (path: string): Promise<LockContent | undefined> => {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<LockContent> | number;
    if (typeof parsed === 'number') return { pid: parsed, owner: '' };
    return typeof parsed?.pid === 'number' ? { pid: parsed.pid, owner: String(parsed.owner) } : undefined;
  } catch {
    // Missing, half-written by a crash, or not ours: nobody can be proven to hold it.
    return undefined;
  }
};

const isHeld = (directory: string, holder: LockContent): boolean =>
  holder.pid === process.pid ? heldHere.get(directory) === holder.owner : isAlive(holder.pid);

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};
