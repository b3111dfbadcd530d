import { waitFor as pollUntil } from '@sitter/ports/contract/wait-for';

export { unique } from '@sitter/ports/contract/wait-for';

/**
 * The shared poller with the decliner tests' defaults: the deadline is left to jest's test
 * timeout (a generous one here), and the description says what was awaited.
 */
export const waitFor = (condition: () => boolean | Promise<boolean>, description: string): Promise<void> =>
  pollUntil(
    async () => {
      try {
        return await condition();
      } catch (error) {
        throw new Error(`while waiting for ${description}: ${(error as Error).message}`);
      }
    },
    { description, timeoutMs: 120_000, intervalMs: 50 },
  );
