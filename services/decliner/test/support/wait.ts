import { waitFor as pollUntil } from '@sitter/ports/contract/wait-for';

export { unique } from '@sitter/ports/contract/wait-for';

/**
 * KafkaJS marks the broker's passing states as retriable, e.g. a fresh partition whose leader is not serving yet;
 * when its own retries run out, the retriable error is the cause of the one it throws.
 */
const isRetriable = (error: unknown): boolean => {
  for (let current = error; typeof current === 'object' && current !== null;) {
    const { retriable, cause } = current as { retriable?: unknown; cause?: unknown };
    if (retriable === true) return true;
    current = cause;
  }
  return false;
};

/**
 * The shared poller with the decliner tests' defaults: the deadline is left to jest's test
 * timeout (a generous one here), and the description says what was awaited. A retriable Kafka
 * error counts as "not yet" (right after a topic is created, the broker may still answer "not the
 * leader for that topic-partition"); any other error ends the wait.
 */
export const waitFor = (condition: () => boolean | Promise<boolean>, description: string): Promise<void> =>
  pollUntil(
    async () => {
      try {
        return await condition();
      } catch (error) {
        if (isRetriable(error)) return false;
        throw new Error(`while waiting for ${description}: ${(error as Error).message}`);
      }
    },
    { description, timeoutMs: 120_000, intervalMs: 50 },
  );
