import { LiveQueue } from '../../src/live/live-queue';

describe('LiveQueue, the per-subscription buffer', () => {
  it('when more events arrive than the client has read and the buffer holds, then it overflows once the buffer is full', () => {
    const overflows: number[] = [];
    const queue = new LiveQueue<number>(
      3,
      () => overflows.push(1),
      () => undefined,
    );

    for (let i = 0; i < 3; i += 1) queue.push(i);
    const beforeFull = overflows.length;
    queue.push(3);

    expect([beforeFull, overflows.length]).toEqual([0, 1]);
  });

  it('when the client reads as events arrive, then nothing overflows and each event is read once, in order', async () => {
    let overflowed = false;
    const queue = new LiveQueue<number>(
      1,
      () => (overflowed = true),
      () => undefined,
    );
    const read: number[] = [];

    for (let i = 0; i < 5; i += 1) {
      const next = queue.next();
      queue.push(i);
      read.push((await next).value as number);
    }

    expect(read).toEqual([0, 1, 2, 3, 4]);
    expect(overflowed).toBe(false);
  });

  it('when the subscription fails, then a waiting read rejects with the error and the end is reported once', async () => {
    let ends = 0;
    const queue = new LiveQueue<number>(
      3,
      () => undefined,
      () => (ends += 1),
    );
    const waiting = queue.next();

    queue.fail(new Error('token expired'));
    await queue.return();

    await expect(waiting).rejects.toThrow('token expired');
    expect(ends).toBe(1);
  });
});
