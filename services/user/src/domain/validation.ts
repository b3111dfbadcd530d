import { z } from 'zod';
import { USERNAME_RULE, canonicalUsername, isUsername, normalizeText, refineText, type TextRules } from '@sitter/ports';
import { EDITABLE_FIELDS, USER_STATUSES, USER_TYPES } from './user';

/** Typed text: NFC, then trimmed unless it is free text, then the length limits and the shared text rules. */
const text = (field: string, limits: { min?: number; max: number }, rules: TextRules = {}) => {
  const base = z.string();
  const trimmed = rules.multiline ? base : base.trim();
  const bounded = limits.min === undefined ? trimmed : trimmed.min(limits.min, `${field} must not be empty`);
  return z
    .string({ required_error: `${field} is required`, invalid_type_error: `${field} must be a string` })
    .transform(normalizeText)
    .pipe(bounded.max(limits.max, `${field} must be at most ${limits.max} characters`).superRefine(refineText(rules)));
};

const name = (field: string) => text(field, { min: 1, max: 100 });
const address = text('address', { max: 500 });
const city = text('city', { min: 1, max: 200 });
const about = text('about', { max: 2000 }, { multiline: true });
const latitude = z
  .number()
  .finite()
  .min(-90, 'latitude must be between -90 and 90')
  .max(90, 'latitude must be between -90 and 90');
const longitude = z
  .number()
  .finite()
  .min(-180, 'longitude must be between -180 and 180')
  .max(180, 'longitude must be between -180 and 180');

function isHttpUrl(value: string): boolean {
  return URL.canParse(value) && ['http:', 'https:'].includes(new URL(value).protocol);
}

/** The URL parser drops tabs and line breaks, so the text rules run too: what is stored is what was checked. */
const httpUrl = z
  .string()
  .max(2048, 'profilePicUrl must be at most 2048 characters')
  .superRefine(refineText())
  .pipe(z.string().url('profilePicUrl must be a URL').refine(isHttpUrl, 'profilePicUrl must be an http or https URL'));

/** Optional on input: an absent field and an explicit null both mean "not given". */
const optional = <T extends z.ZodTypeAny>(schema: T) => schema.nullish().transform((value) => value ?? undefined);

export const createUserSchema = z
  .object({
    /** Stored canonical (lower case): `Alice` signs up as `alice`, and a later `ALICE` is the same account. */
    username: z
      .string({ required_error: 'username is required', invalid_type_error: 'username must be a string' })
      .refine(isUsername, `username ${USERNAME_RULE}`)
      .transform(canonicalUsername),
    email: z
      .string({ required_error: 'email is required', invalid_type_error: 'email must be a string' })
      .trim()
      .max(254, 'email must be at most 254 characters')
      .email('email is not a valid email address'),
    type: z.enum(USER_TYPES, { errorMap: () => ({ message: `type must be one of ${USER_TYPES.join(', ')}` }) }),
    firstName: name('firstName'),
    lastName: name('lastName'),
    dateOfBirth: optional(z.string().date('dateOfBirth must be an ISO date (YYYY-MM-DD)')),
    profilePicUrl: optional(httpUrl),
    address: optional(address),
    city: optional(city),
    about: optional(about),
    latitude: optional(latitude),
    longitude: optional(longitude),
  })
  .strict();
export type CreateUserInput = z.infer<typeof createUserSchema>;

/**
 * Only the editable fields; any other field is rejected rather than silently ignored, so a
 * client that tries to change its email or status learns it cannot. `null` clears an
 * optional field; an absent field stays as it is.
 */
export const updateUserSchema = z
  .object({
    firstName: name('firstName').optional(),
    lastName: name('lastName').optional(),
    address: address.nullable().optional(),
    city: city.nullable().optional(),
    about: about.nullable().optional(),
    latitude: latitude.nullable().optional(),
    longitude: longitude.nullable().optional(),
  } satisfies Record<(typeof EDITABLE_FIELDS)[number], z.ZodTypeAny>)
  .strict();
export type UpdateUserInput = z.infer<typeof updateUserSchema>;

export const updateStatusSchema = z
  .object({
    status: z.enum(USER_STATUSES, {
      errorMap: () => ({ message: `status must be one of ${USER_STATUSES.join(', ')}` }),
    }),
  })
  .strict();
export type UpdateStatusInput = z.infer<typeof updateStatusSchema>;
