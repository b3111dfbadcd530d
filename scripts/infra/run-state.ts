import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cacheDir } from './progress';

/** What `infra:up` started in the background, for `infra:down` and for a second `infra:up`. */
export interface RunState {
  startedAt: string;
  redis: { pid: number; address: string; dir: string };
  kafka: { pid: number; brokers: string; dir: string };
  /** Absent in the state of an infra:up from before PostgreSQL was the default state store. */
  postgres?: { pid: number; address: string; connectionString: string; dir: string };
}

export const runDir = (): string => path.join(cacheDir(), 'run');
export const stateFile = (): string => path.join(runDir(), 'infra.json');

/**
 * PostgreSQL's cluster. Started by root, the server runs as the postgres user, which cannot enter root's home (and
 * so the cache under it): root's cluster goes in the temporary folder instead.
 */
export const postgresDir = (): string =>
  process.getuid?.() === 0 ? path.join(os.tmpdir(), 'sitter-infra-postgres') : path.join(runDir(), 'postgres');

export function readRunState(): RunState | undefined {
  if (!existsSync(stateFile())) return undefined;
  return JSON.parse(readFileSync(stateFile(), 'utf8')) as RunState;
}

/** The marker in each server's command line, to tell our process from one that reused its pid. */
export const processMarkers = { redis: 'redis-server', kafka: 'kafka.Kafka', postgres: '/bin/postgres' } as const;

/** True if pid is alive and its command line contains `marker`. */
export function isOurs(pid: number, marker: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
  } catch {
    return false;
  }
}
