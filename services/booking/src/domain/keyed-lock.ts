/**
 * Runs work for one key at a time, in call order, within this process. Every path that changes a
 * booking (messages, the scheduler, API calls) goes through it, so within one process a
 * cancellation never runs while a reservation call for the same booking is still on its way. Across
 * replicas it does not reach: there every write's ETag condition and steps that can be repeated keep
 * the booking right, as after a crash between a call and its write (a cancelled booking whose
 * reservation is REQUESTED releases it). Not reentrant.
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
