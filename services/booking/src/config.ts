import { loadConfig, requireDaprPortWithDapr, serviceConfigFields, z } from '@sitter/platform';
import { defaultBookingSettings, type BookingSettings } from './domain';

const seconds = (fallbackMs: number) =>
  z.coerce
    .number()
    .positive()
    .default(fallbackMs / 1000);

/** Settings of the booking saga; `npm start` reads the same variables. */
const settingsSchema = z.object({
  /** A booking not confirmed this many seconds after it was made is cancelled (15 minutes). */
  BOOKING_PAYMENT_DEADLINE_SECONDS: seconds(defaultBookingSettings.paymentDeadlineMs),
  /** How often the scheduler looks for due bookings. */
  BOOKING_SWEEP_INTERVAL_SECONDS: z.coerce.number().positive().default(15),
  /** A step left undone (crash, failure) is retried by the scheduler this many seconds later. */
  BOOKING_STEP_RETRY_SECONDS: seconds(defaultBookingSettings.stepRetryMs),
  /** How long a replica's hold on a booking lasts unrenewed: one that dies mid-step is taken over this much later. */
  BOOKING_LEASE_SECONDS: seconds(defaultBookingSettings.leaseTtlMs),
  BOOKING_CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as GBP')
    .default(defaultBookingSettings.currency),
});

const schema = settingsSchema.extend(serviceConfigFields(3003)).superRefine(requireDaprPortWithDapr);

export type BookingConfig = z.infer<typeof schema>;

export const loadBookingConfig = (env: NodeJS.ProcessEnv = process.env): BookingConfig =>
  loadConfig('booking', schema, env);

export interface BookingOptions {
  settings: BookingSettings;
  sweepIntervalMs: number;
}

/** The saga's settings from the environment (BOOKING_*), failing fast on a bad value. */
export const loadBookingOptions = (env: NodeJS.ProcessEnv = process.env): BookingOptions => {
  const config = loadConfig('booking', settingsSchema, env);
  return {
    settings: {
      paymentDeadlineMs: config.BOOKING_PAYMENT_DEADLINE_SECONDS * 1000,
      stepRetryMs: config.BOOKING_STEP_RETRY_SECONDS * 1000,
      currency: config.BOOKING_CURRENCY,
      leaseTtlMs: config.BOOKING_LEASE_SECONDS * 1000,
    },
    sweepIntervalMs: config.BOOKING_SWEEP_INTERVAL_SECONDS * 1000,
  };
};
