import { z } from 'zod';
import {
  ID_PATTERN,
  ID_RULE,
  USERNAME_RULE,
  canonicalUsername,
  isUsername,
  normalizeText,
  refineText,
} from '@sitter/ports';
import { BOOKING_STATUSES } from './booking';

const required = (field: string) => ({
  required_error: `${field} is required`,
  invalid_type_error: `${field} must be a string`,
});

/** Free text typed by a person: NFC, trimmed, within its length, and clean under the shared text rules. */
const text = (field: string, max: number) =>
  z
    .string(required(field))
    .transform(normalizeText)
    .pipe(
      z
        .string()
        .trim()
        .min(1, `${field} must not be empty`)
        .max(max, `${field} must be at most ${max} characters`)
        .superRefine(refineText({ multiline: true })),
    );

const id = (field: string) => z.string(required(field)).regex(ID_PATTERN, `${field} ${ID_RULE}`);

const username = (field: string) =>
  z.string(required(field)).refine(isUsername, `${field} ${USERNAME_RULE}`).transform(canonicalUsername);

/** Messages never quote the token: it must not travel back into logs or error reports. */
const paymentToken = z
  .string({ required_error: 'paymentToken is required', invalid_type_error: 'paymentToken must be a string' })
  .min(4, 'paymentToken must be at least 4 characters')
  .max(256, 'paymentToken must be at most 256 characters')
  .regex(/^[A-Za-z0-9_-]+$/, 'paymentToken must be letters, digits, "_" or "-"');

export const processBookingSchema = z
  .object({ jobId: id('jobId'), applicationId: id('applicationId'), paymentToken })
  .strict();
export type ProcessBookingInput = z.infer<typeof processBookingSchema>;

export const cancelBookingSchema = z.object({ reason: text('reason', 500).optional() }).strict();

export const listBookingsSchema = z.object({
  customer: username('customer'),
  status: z.enum(BOOKING_STATUSES, {
    errorMap: () => ({ message: `status must be one of ${BOOKING_STATUSES.join(', ')}` }),
  }),
  limit: z.coerce
    .number({ invalid_type_error: 'limit must be a number' })
    .int('limit must be a whole number')
    .min(1, 'limit must be between 1 and 100')
    .max(100, 'limit must be between 1 and 100')
    .default(20),
  after: z.string().optional(),
});
