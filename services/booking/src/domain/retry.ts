import { setTimeout as sleep } from 'node:timers/promises';
import { ConcurrencyConflictError, conflict } from '@sitter/ports';

const MAX_ATTEMPTS = 25;

/**
 * Runs a read-decide-write again while its conditional write loses to a concurrent one (a shared
 * index record, usually). `work` re-reads what it writes, so each attempt decides on fresh state;
 * the random pause keeps contenders from colliding again in lockstep.
 */
export const retryOnConflict = async <T>(work: () => Promise<T>): Promise<T> => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof ConcurrencyConflictError)) throw error;
      if (attempt >= MAX_ATTEMPTS) throw conflict('the booking kept changing concurrently; try again');
      await sleep(Math.random() * Math.min(2 * attempt, 20));
    }
  }
};
