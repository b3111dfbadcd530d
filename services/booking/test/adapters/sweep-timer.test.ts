import { sweepTimer } from '../../src/adapters/sweep-timer';
import { capturingLogger } from '../support/logs';

describe('sweepTimer', () => {
  it('when started, then the first pass visits everything, later passes only what is due', async () => {
    const passes: Array<boolean | undefined> = [];
    const timer = sweepTimer(async (options) => passes.push(options?.everything), 60_000, capturingLogger().logger);

    timer.start();
    await timer.sweep();
    await timer.stop();

    expect(passes).toEqual([true, false]);
  });

  it('when a pass fails, then it is logged and the next pass still runs', async () => {
    const { logger, entries } = capturingLogger();
    let calls = 0;
    const timer = sweepTimer(
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('store unavailable');
        return 0;
      },
      60_000,
      logger,
    );

    await expect(timer.sweep()).rejects.toThrow('store unavailable');
    await expect(timer.sweep()).resolves.toBe(0);
    await timer.stop();

    expect(entries).toEqual([expect.objectContaining({ level: 'warn', reason: 'store unavailable' })]);
  });
});
