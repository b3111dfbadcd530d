import { badInput, type Clock } from '@sitter/ports';
import type { CreateJobInput } from './model';

/**
 * A job's dates and times are wall-clock times where it takes place, and the API carries no
 * offset. The marketplace runs in the UK (it charges in GBP), so they are read in Europe/London:
 * GMT in winter, BST in summer. A market in another zone would add a `timeZone` field to jobs.
 */
export const JOB_TIME_ZONE = 'Europe/London';

const wallClockParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: JOB_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** How far the zone's wall clock is ahead of UTC at this instant. */
const zoneOffsetMs = (instant: number): number => {
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    Number(wallClockParts.formatToParts(instant).find((candidate) => candidate.type === type)?.value);
  const wallClock = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return wallClock - Math.floor(instant / 1000) * 1000;
};

/** The instant a Europe/London date (YYYY-MM-DD) and time (HH:MM) name; in the spring-forward gap, an hour later. */
export const jobInstant = (date: string, time: string): Date => {
  const asIfUtc = Date.parse(`${date}T${time}:00.000Z`);
  const firstGuess = asIfUtc - zoneOffsetMs(asIfUtc);
  return new Date(asIfUtc - zoneOffsetMs(firstGuess));
};

/** A job may not start before now: BAD_USER_INPUT on startDate. */
export const requireFutureStart = (input: CreateJobInput, clock: Clock): void => {
  if (jobInstant(input.startDate, input.startTime).getTime() < clock.now().getTime()) {
    throw badInput('startDate', `startDate: the job must not start in the past (times are ${JOB_TIME_ZONE} time)`);
  }
};
