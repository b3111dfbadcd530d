import os from 'node:os';
import path from 'node:path';

/** Where everything provisioned lives; the same rule as scripts/lib.sh. */
export function cacheDir(): string {
  if (process.env.SITTER_CACHE_DIR) return process.env.SITTER_CACHE_DIR;
  return path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'sitter');
}

export function log(message: string): void {
  console.log(message);
}

/** "4.2s" or "3m07s" since `started` (a Date.now() value). */
export function elapsed(started: number): string {
  const seconds = (Date.now() - started) / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
}

/** Runs one step and prints it with its duration. */
export async function step<T>(label: string, run: () => Promise<T>): Promise<T> {
  const started = Date.now();
  log(`▶ ${label}`);
  try {
    const result = await run();
    log(`✔ ${label} (${elapsed(started)})`);
    return result;
  } catch (error) {
    log(`✘ ${label} (${elapsed(started)})`);
    throw error;
  }
}
