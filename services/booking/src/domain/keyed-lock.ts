/**
 * Runs work for one key at a time, in call order, within this process: the cheap first layer of
 * BookingLeases, so that callers in one process queue here instead of polling the store for the
 * booking's lease, which is what holds across replicas. Not reentrant.
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
