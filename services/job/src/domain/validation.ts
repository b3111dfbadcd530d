import { z } from 'zod';
import type { DeclineApplicationBody } from '@sitter/contracts';
import { ID_PATTERN, ID_RULE, badInput, normalizeText, parseInput, refineText, type TextRules } from '@sitter/ports';
import { JOB_STATUSES, JOB_TYPES, type CreateJobInput, type JobStatus } from './model';

const COST = /^\d{1,9}(\.\d{1,2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

const isCalendarDate = (value: string): boolean => {
  const [year, month, day] = value.split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

const calendarDate = z
  .string()
  .regex(DATE, 'must be a date as YYYY-MM-DD')
  .refine(isCalendarDate, 'must be a real calendar date');

const timeOfDay = z.string().regex(TIME, 'must be a time as HH:MM between 00:00 and 23:59');

/** Typed text: stored NFC as given, checked against the length limit and the shared text rules. */
const text = (maxLength: number, rules: TextRules = {}) =>
  z
    .string()
    .transform(normalizeText)
    .pipe(
      z
        .string()
        .max(maxLength, `must be at most ${maxLength} characters`)
        .refine((value) => value.trim().length > 0, 'must not be empty')
        .superRefine(refineText(rules)),
    );

const id = z.string().regex(ID_PATTERN, ID_RULE);

const cost = z.string().superRefine((value, context) => {
  if (value.trim().startsWith('-')) {
    context.addIssue({ code: z.ZodIssueCode.custom, message: 'must not be negative' });
  } else if (!COST.test(value)) {
    context.addIssue({ code: z.ZodIssueCode.custom, message: 'must be a decimal amount like 120.00' });
  }
});

const createJobSchema = z.object({
  jobType: z.enum(JOB_TYPES),
  startDate: calendarDate,
  endDate: calendarDate,
  startTime: timeOfDay,
  endTime: timeOfDay,
  address: text(500),
  city: text(200),
  latitude: z.number().finite().min(-90, 'must be between -90 and 90').max(90, 'must be between -90 and 90'),
  longitude: z.number().finite().min(-180, 'must be between -180 and 180').max(180, 'must be between -180 and 180'),
  cost,
});

export const validateCreateJobInput = (raw: unknown): CreateJobInput => {
  const input = parseInput(createJobSchema, raw);
  // ISO dates and zero-padded times order correctly as text.
  if (input.endDate < input.startDate) throw badInput('endDate', 'endDate must not be before startDate');
  if (input.endDate === input.startDate && input.endTime <= input.startTime) {
    throw badInput('endTime', 'endTime must be after startTime when the job starts and ends on the same day');
  }
  return input;
};

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

const pageLimit = z.coerce
  .number()
  .int('must be a whole number')
  .min(1, `must be between 1 and ${MAX_PAGE_SIZE}`)
  .max(MAX_PAGE_SIZE, `must be between 1 and ${MAX_PAGE_SIZE}`)
  .default(DEFAULT_PAGE_SIZE);

const listJobsSchema = z.object({
  status: z.enum(JOB_STATUSES).default('OPEN'),
  limit: pageLimit,
  after: z.string().optional(),
});

/** A page size, 1 to MAX_PAGE_SIZE (DEFAULT_PAGE_SIZE when absent). */
export const validatePageLimit = (raw: unknown): number =>
  parseInput(z.object({ limit: pageLimit }), { limit: raw ?? undefined }).limit;

export interface ListJobsQuery {
  status: JobStatus;
  limit: number;
  after?: string;
}

/** Query-string values arrive as text; an empty `after` means the first page. */
export const validateListJobsQuery = (raw: { status?: unknown; limit?: unknown; after?: unknown }): ListJobsQuery => {
  const query = { status: raw.status, limit: raw.limit, after: raw.after === '' ? undefined : raw.after };
  return parseInput(listJobsSchema, query, { after: 'afterCursor' });
};

const reservationSchema = z.object({ applicationId: id });

export const validateReservationInput = (raw: unknown): { applicationId: string } => {
  return parseInput(reservationSchema, raw);
};

/** A decline as the decliner forwards it (its shape is the contract's); unknown fields are allowed. */
const declineInputSchema: z.ZodType<DeclineApplicationBody, z.ZodTypeDef, unknown> = z.object({
  jobId: id,
  reason: text(1000, { multiline: true }),
  source: z.string().min(1, 'must not be empty'),
  requestedAt: z.string().datetime({ offset: true, message: 'must be an ISO-8601 timestamp' }),
});

export type DeclineInput = DeclineApplicationBody;

export const validateDeclineInput = (raw: unknown): DeclineInput => {
  return parseInput(declineInputSchema, raw);
};
