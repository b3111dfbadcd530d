/** A clock the test moves by hand, so the booking deadline passes without waiting. */
export class ManualClock {
  private current = Date.parse('2031-03-01T09:00:00.000Z');

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current += ms;
  }
}

export const MINUTE = 60_000;
