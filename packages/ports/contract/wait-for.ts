import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitForOptions {
  /** Give up after this long; generous, because a real broker may take a while (it is not an assertion on speed). */
  timeoutMs?: number;
  intervalMs?: number;
  /** Says what was awaited when the wait times out (a function to describe the state at that moment). */
  description?: string | (() => string);
}

/**
 * Polls until `predicate` holds, instead of sleeping for a guessed time: resolves as soon as
 * it holds, and fails with a message naming what never happened.
 */
export const waitFor = async (
  predicate: () => boolean | Promise<boolean>,
  { timeoutMs = 10_000, intervalMs = 5, description = 'a condition' }: WaitForOptions = {},
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() >= deadline) {
      const what = typeof description === 'function' ? description() : description;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await sleep(intervalMs);
  }
};

/** Waits until `items` holds at least `count` elements, and returns it. */
export const waitForCount = async <T>(
  items: readonly T[],
  count: number,
  options: WaitForOptions = {},
): Promise<readonly T[]> => {
  await waitFor(() => items.length >= count, {
    description: () => `${count} item(s), got ${items.length}`,
    ...options,
  });
  return items;
};

/** A name no other test (or earlier run against a shared broker or store) has used. */
export const unique = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;
