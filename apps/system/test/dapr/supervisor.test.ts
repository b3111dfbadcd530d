import { launch, type ManagedProcess } from '@sitter/infra-harness';
import { Supervised } from '../../src/dapr/supervisor';

const fast = { maxRestarts: 3, initialBackoffMs: 20, maxBackoffMs: 50, calmAfterMs: 60_000 };
const sleeper = async (): Promise<ManagedProcess> => launch('sleeper', 'sleep', ['60']);
const waitFor = async (condition: () => boolean) => {
  const deadline = Date.now() + 10_000;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
};

describe('a supervised process', () => {
  it('when it is killed, then it is started again, with one line saying how it ended', async () => {
    const lines: string[] = [];
    const alarms: string[] = [];
    const supervised = new Supervised(
      'sleeper',
      await sleeper(),
      sleeper,
      { line: (l) => lines.push(l), gaveUp: (l) => alarms.push(l) },
      fast,
    );
    const first = supervised.current.pid;

    process.kill(first, 'SIGKILL');
    await waitFor(() => supervised.current.pid !== first);
    const second = supervised.current.pid;
    await supervised.stop();

    expect(second).not.toBe(first);
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(`^↻ sleeper: pid ${first} exited with signal SIGKILL; restarted after 0.02 s as pid ${second}`),
      ),
    ]);
    expect(alarms).toEqual([]);
  });

  it('when it keeps dying, then it is given up on loudly after the last restart', async () => {
    const lines: string[] = [];
    const alarms: string[] = [];
    const dies = async () => launch('dies', 'sh', ['-c', 'exit 3']);
    const supervised = new Supervised(
      'dies',
      await dies(),
      dies,
      { line: (l) => lines.push(l), gaveUp: (l) => alarms.push(l) },
      fast,
    );

    await waitFor(() => alarms.length > 0);
    await supervised.stop();

    expect(lines).toHaveLength(3);
    expect(alarms).toEqual([
      expect.stringMatching(/^✘ dies: pid \d+ exited with code 3; gave up after 3 restarts in a row/),
    ]);
  });

  it('when it is stopped, then it is not started again, even during a backoff', async () => {
    const lines: string[] = [];
    const slow = { ...fast, initialBackoffMs: 60_000, maxBackoffMs: 60_000 };
    const supervised = new Supervised(
      'sleeper',
      await sleeper(),
      sleeper,
      { line: (l) => lines.push(l), gaveUp: () => undefined },
      slow,
    );
    process.kill(supervised.current.pid, 'SIGKILL');
    await supervised.current.exited;
    const started = Date.now();

    await supervised.stop();

    expect(Date.now() - started).toBeLessThan(5_000);
    expect(lines).toEqual([]);
  });
});
