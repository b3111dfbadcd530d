/**
 * Runs work for one key at a time, in call order, within this process. Every path that changes a
 * booking (messages, the scheduler, API calls) goes through it, so a cancellation never runs while
 * a reservation call for the same booking is still on its way. Not reentrant.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
