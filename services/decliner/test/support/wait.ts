import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls until the condition holds, the way kafkajs's own tests wait for messages. No deadline of
 * its own: jest's test timeout ends a wait that never comes true, and the description says what
 * was awaited.
 */
export const waitFor = async (condition: () => boolean | Promise<boolean>, description: string): Promise<void> => {
  for (;;) {
    try {
      if (await condition()) return;
    } catch (error) {
      throw new Error(`while waiting for ${description}: ${(error as Error).message}`);
    }
    await sleep(50);
  }
};

export const unique = (prefix: string): string =>
  `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
