import { sweepTimer } from '../../src/adapters/sweep-timer';
import type { SweepOptions } from '../../src/domain';
import { capturingLogger } from '../support/logs';

describe('sweepTimer', () => {
  it('when started, then the first pass visits everything, later passes only what is due', async () => {
    const passes: SweepOptions[] = [];
    const sweeper = { sweep: async (options: SweepOptions) => passes.push(options), release: async () => undefined };
    const timer = sweepTimer(sweeper, 60_000, capturingLogger().logger);

    timer.start();
    await timer.sweep();
    await timer.stop();

    expect(passes).toEqual([
      { everything: true, intervalMs: 60_000 },
      { everything: false, intervalMs: 60_000 },
    ]);
  });

  it('when a pass fails, then it is logged and the next pass still runs', async () => {
    const { logger, entries } = capturingLogger();
    let calls = 0;
    const sweeper = {
      sweep: async () => {
        calls += 1;
        if (calls === 1) throw new Error('store unavailable');
        return 0;
      },
      release: async () => undefined,
    };
    const timer = sweepTimer(sweeper, 60_000, logger);

    await expect(timer.sweep()).rejects.toThrow('store unavailable');
    await expect(timer.sweep()).resolves.toBe(0);
    await timer.stop();

    expect(entries).toEqual([expect.objectContaining({ level: 'warn', reason: 'store unavailable' })]);
  });

  it('when stopped, then the sweeper gives up its due buckets', async () => {
    let released = 0;
    const sweeper = { sweep: async () => 0, release: async () => void (released += 1) };
    const timer = sweepTimer(sweeper, 60_000, capturingLogger().logger);

    timer.start();
    await timer.stop();

    expect(released).toBe(1);
  });
});
