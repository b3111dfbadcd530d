import { setTimeout as sleep } from 'node:timers/promises';
import { ConcurrencyConflictError, conflict } from '@sitter/ports';

export const MAX_ATTEMPTS = 25;

/**
 * Runs a read-modify-write again while a conditional write loses to a concurrent one.
 * `work` must re-read everything it writes, so each attempt decides on fresh state.
 * The random pause spreads contenders out so they do not collide again in lockstep.
 */
export const retryOnConflict = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof ConcurrencyConflictError)) throw error;
      if (attempt >= MAX_ATTEMPTS) throw conflict(`${what} kept changing concurrently; try again`);
      await sleep(Math.random() * Math.min(2 * attempt, 20));
    }
  }
};
