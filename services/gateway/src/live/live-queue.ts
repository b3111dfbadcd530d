/**
 * What one subscription has received and its client not yet taken, bounded: a client that reads slower than events
 * arrive overflows it, and `onOverflow` ends the subscription (and, on a WebSocket, closes the connection with
 * LiveCloseCodes.bufferOverflow) instead of the gateway holding events without limit.
 */
export class LiveQueue<T> implements AsyncIterableIterator<T> {
  private readonly buffered: T[] = [];
  private waiting?: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void };
  private ended = false;
  private failure?: unknown;

  constructor(
    private readonly capacity: number,
    private readonly onOverflow: () => void,
    private readonly onEnd: () => void,
  ) {}

  push(item: T): void {
    if (this.ended) return;
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = undefined;
      resolve({ value: item, done: false });
      return;
    }
    if (this.buffered.length >= this.capacity) {
      this.onOverflow();
      return;
    }
    this.buffered.push(item);
  }

  /** Ends the subscription with an error the client sees (GraphQL error on SSE, an error message on WebSocket). */
  fail(error: unknown): void {
    if (this.ended) return;
    this.failure = error;
    this.finish();
  }

  next(): Promise<IteratorResult<T>> {
    const item = this.buffered.shift();
    if (item !== undefined) return Promise.resolve({ value: item, done: false });
    if (this.failure !== undefined) {
      const failure = this.failure;
      this.failure = undefined;
      return Promise.reject(failure);
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.buffered.length = 0;
    this.onEnd();
    const waiting = this.waiting;
    this.waiting = undefined;
    if (!waiting) return;
    if (this.failure !== undefined) {
      const failure = this.failure;
      this.failure = undefined;
      waiting.reject(failure);
    } else waiting.resolve({ value: undefined, done: true });
  }
}
