import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cacheDir } from './progress';

/** What `infra:up` started in the background, for `infra:down` and for a second `infra:up`. */
export interface RunState {
  startedAt: string;
  redis: { pid: number; address: string; dir: string };
  kafka: { pid: number; brokers: string; dir: string };
}

export const runDir = (): string => path.join(cacheDir(), 'run');
export const stateFile = (): string => path.join(runDir(), 'infra.json');

export function readRunState(): RunState | undefined {
  if (!existsSync(stateFile())) return undefined;
  return JSON.parse(readFileSync(stateFile(), 'utf8')) as RunState;
}

/** The marker in each server's command line, to tell our process from one that reused its pid. */
export const processMarkers = { redis: 'redis-server', kafka: 'kafka.Kafka' } as const;

/** True if pid is alive and its command line contains `marker`. */
export function isOurs(pid: number, marker: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
  } catch {
    return false;
  }
}
