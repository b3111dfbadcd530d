import type { Clock } from '@sitter/ports';

/** A clock the test moves by hand, so deadlines pass without waiting. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start = '2031-03-01T09:00:00.000Z') {
    this.current = Date.parse(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current += ms;
  }
}

export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;
