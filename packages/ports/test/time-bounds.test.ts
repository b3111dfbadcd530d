import { AppError } from '../src/errors';
import { inWindow, timeWindow } from '../src/time-bounds';

describe('timeWindow', () => {
  it.each([
    ['2026', '2026', '2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['2026-02', '2026-02', '2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'],
    ['2026-12-31', '2026-12-31', '2026-12-31T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['2026-12-01T10:00Z', '2026-12-01T10:00Z', '2026-12-01T10:00:00.000Z', '2026-12-01T10:01:00.000Z'],
    ['2026-12-01T10:00+01:00', '2026-12-01T10:00:30Z', '2026-12-01T09:00:00.000Z', '2026-12-01T10:00:31.000Z'],
    ['2026-12-01T10:00:00.5Z', '2026-12-01T10:00:00.750Z', '2026-12-01T10:00:00.500Z', '2026-12-01T10:00:00.751Z'],
  ])('when from is %p and to is %p, then the window is [%s, %s)', (from, to, start, end) => {
    const window = timeWindow(from, to);

    expect(window).toEqual({ from: start, before: end });
  });

  it('when a bound is absent, then that side is open', () => {
    expect(timeWindow(undefined, '2026')).toEqual({ before: '2027-01-01T00:00:00.000Z' });
  });

  it.each(['2026-00', '2025-02-29', '2026-12-01T10', '2026-12-01T10:00', '2026-1-1', '20260', ' 2026'])(
    'when from is %p, then BAD_USER_INPUT naming from',
    (from) => {
      const thrown = (() => {
        try {
          timeWindow(from, undefined);
        } catch (error) {
          return error;
        }
      })();

      expect(thrown).toBeInstanceOf(AppError);
      expect(thrown).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
    },
  );

  it('when an instant is at the window edges, then from is inclusive and the end exclusive', () => {
    const window = timeWindow('2026-12', '2026-12');

    expect(inWindow(window, '2026-12-01T00:00:00.000Z')).toBe(true);
    expect(inWindow(window, '2026-12-31T23:59:59.999Z')).toBe(true);
    expect(inWindow(window, '2027-01-01T00:00:00.000Z')).toBe(false);
  });
});
