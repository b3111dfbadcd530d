import { badInput } from './errors';

/**
 * ISO-8601 time bounds at any precision: `2026`, `2026-12`, `2026-12-01`, `2026-12-01T10:00Z`,
 * `2026-12-01T10:00:30.250+01:00`. A bound names a period (a year, a month, a day, a minute, …): `from` starts at
 * the period's first instant, `to` ends after its last, so `from: 2026, to: 2026` is all of 2026. Dates without a
 * time are UTC; a time must carry its offset (`Z` or `±HH:MM`), since a bare wall-clock time names no instant.
 */
const BOUND =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/;

export interface TimeWindow {
  /** Inclusive, ISO-8601 UTC with milliseconds. */
  from?: string;
  /** Exclusive, ISO-8601 UTC with milliseconds. */
  before?: string;
}

type Period = { start: number; end: number };

const offsetMinutes = (zone: string): number => {
  if (zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  return sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
};

/** The period a bound names, or undefined when it is not a valid bound (e.g. month 13, 31 February, 24:00). */
const periodOf = (text: string): Period | undefined => {
  const match = BOUND.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, ms, zone] = match;
  const year = Number(y);
  const month = mo === undefined ? 1 : Number(mo);
  const day = d === undefined ? 1 : Number(d);
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  if (mo === undefined) return { start: Date.UTC(year, 0, 1), end: Date.UTC(year + 1, 0, 1) };
  if (d === undefined) return { start: Date.UTC(year, month - 1, 1), end: Date.UTC(year, month, 1) };
  if (h === undefined) return { start: Date.UTC(year, month - 1, day), end: Date.UTC(year, month - 1, day + 1) };
  const [hour, minute, second] = [Number(h), Number(mi), s === undefined ? 0 : Number(s)];
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const millis = ms === undefined ? 0 : Number(ms.padEnd(3, '0'));
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const start = local - offsetMinutes(zone) * 60_000;
  const length = ms !== undefined ? 10 ** (3 - ms.length) : s !== undefined ? 1000 : 60_000;
  return { start, end: start + length };
};

const RULE = 'must be an ISO-8601 time at any precision: 2026, 2026-12, 2026-12-01 or 2026-12-01T10:00Z';

/** `from` and `to` as one window; BAD_USER_INPUT naming the argument when either is not a bound or to < from. */
export const timeWindow = (from: unknown, to: unknown): TimeWindow => {
  const bound = (name: string, value: unknown): Period | undefined => {
    if (value === undefined || value === null) return undefined;
    const period = typeof value === 'string' ? periodOf(value) : undefined;
    if (!period) throw badInput(name, `${name} ${RULE}`);
    return period;
  };
  const start = bound('from', from);
  const end = bound('to', to);
  if (start && end && end.end <= start.start) throw badInput('to', 'to must not be before from');
  return {
    ...(start ? { from: new Date(start.start).toISOString() } : {}),
    ...(end ? { before: new Date(end.end).toISOString() } : {}),
  };
};

/** Whether an ISO-8601 UTC instant lies in the window. */
export const inWindow = (window: TimeWindow, instant: string): boolean =>
  (window.from === undefined || instant >= window.from) && (window.before === undefined || instant < window.before);
