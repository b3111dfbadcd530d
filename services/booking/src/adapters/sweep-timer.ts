import { describe, type Logger } from '@sitter/platform';
import type { Sweeper } from '../domain';

export interface Scheduler {
  /** Visits every booking the due list names, then keeps sweeping every interval. */
  start(): void;
  /** Stops the timer, waits for a pass under way and gives up this replica's due buckets. */
  stop(): Promise<void>;
  /** One pass now, over the due bookings only; resolves with how many were visited. */
  sweep(): Promise<number>;
}

/**
 * Drives the booking scheduler from a timer. The due times and who sweeps which bucket live in the state store,
 * so a restart loses nothing: the first pass after `start()` picks up whatever the last run left.
 */
export const sweepTimer = (sweeper: Sweeper, intervalMs: number, logger: Logger): Scheduler => {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> = Promise.resolve(0);
  const pass = (everything: boolean) => {
    const sweep = () => sweeper.sweep({ everything, intervalMs });
    running = running.then(sweep, sweep);
    running.catch((error: unknown) => logger.warn('booking sweep failed', { reason: describe(error).message }));
    return running;
  };
  return {
    start() {
      if (timer) return;
      void pass(true).catch(() => undefined);
      timer = setInterval(() => void pass(false).catch(() => undefined), intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running.catch(() => undefined);
      await sweeper.release();
    },
    sweep: () => pass(false),
  };
};
