/**
 * Message payloads, defined once: the types, the checks every consumer applies, and (generated from these,
 * `npm run contracts:schemas`) the JSON Schema documents partners read in packages/contracts/schemas/.
 * Field names are a contract with partner producers: change only by adding.
 */
import { z } from 'zod/v4';
import { timestamp, typeProblem, version1, visibleText } from './message-schema';

const SCHEMA_BASE = 'https://sitter.example/schemas';

export const DeclineRequestSchema = z
  .looseObject(
    {
      version: version1(),
      applicationId: visibleText(200),
      jobId: visibleText(200),
      reason: visibleText(1000),
      source: visibleText(100).meta({ description: "'booking' for the platform, the partner's name otherwise" }),
      requestedAt: timestamp().meta({ description: 'RFC 3339, e.g. 2031-05-01T09:30:00Z' }),
    },
    { error: typeProblem('object') },
  )
  .meta({
    $id: `${SCHEMA_BASE}/job-applications.declines.json`,
    title: 'DeclineRequest',
    description: 'Asks Sitter to decline one job application. Key the Kafka message with jobId.',
  });

/** On `job-applications.declines`; partners may add fields. */
export type DeclineRequest = z.infer<typeof DeclineRequestSchema>;

/**
 * The body of the job service's `POST /applications/:id/decline`: the message without its envelope fields
 * (the application id is in the path). The job service checks it with its own, stricter domain rules.
 */
export type DeclineApplicationBody = Pick<DeclineRequest, 'jobId' | 'reason' | 'source' | 'requestedAt'>;

const amount = () =>
  z
    .string()
    .regex(/^\d+(\.\d{1,2})?$/, 'must be a decimal amount like 120.00')
    .meta({
      description: 'exact decimal text, never a float',
    });
const currency = () => z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like GBP');

export const PaymentAuthorizationRequestSchema = z
  .strictObject({
    version: version1(),
    type: z.literal('AUTHORIZE'),
    bookingId: z.string().min(1),
    idempotencyKey: z.string().min(1).meta({
      description: '"{bookingId}:authorize"; answer a repeated key with the first answer, never charge twice',
    }),
    amount: amount(),
    currency: currency(),
    paymentToken: z.string().min(1).meta({ description: "the customer's card token; never log it" }),
    requestedAt: timestamp(),
  })
  .meta({ title: 'Authorization' });

/** Asks the payment partner to authorize the booking's amount on the customer's payment token. */
export type PaymentAuthorizationRequest = z.infer<typeof PaymentAuthorizationRequestSchema>;

export const PaymentRefundRequestSchema = z
  .strictObject({
    version: version1(),
    type: z.literal('REFUND'),
    bookingId: z.string().min(1),
    idempotencyKey: z.string().min(1).meta({ description: '"{bookingId}:refund"' }),
    authorizationKey: z.string().min(1).meta({ description: 'idempotencyKey of the authorization to give back' }),
    amount: amount(),
    currency: currency(),
    requestedAt: timestamp(),
  })
  .meta({ title: 'Refund' });

/** Asks the payment partner to give back an authorization (the booking was cancelled). */
export type PaymentRefundRequest = z.infer<typeof PaymentRefundRequestSchema>;

export const PaymentRequestSchema = z
  .discriminatedUnion('type', [PaymentAuthorizationRequestSchema, PaymentRefundRequestSchema])
  .meta({ $id: `${SCHEMA_BASE}/payments.requests.json`, title: 'PaymentRequest' });

/** What travels on `payments.requests`, keyed by booking id. */
export type PaymentRequest = z.infer<typeof PaymentRequestSchema>;

export const PAYMENT_OUTCOMES = ['AUTHORIZED', 'DECLINED', 'REFUNDED'] as const;
export type PaymentOutcome = (typeof PAYMENT_OUTCOMES)[number];

export const PaymentResultSchema = z
  .object({
    version: version1(),
    bookingId: z.string().min(1),
    idempotencyKey: z.string().min(1).meta({ description: 'the idempotencyKey of the request answered' }),
    outcome: z
      .enum(PAYMENT_OUTCOMES)
      .meta({ description: 'AUTHORIZED or DECLINED answer an AUTHORIZE; REFUNDED or DECLINED a REFUND' }),
    reason: z.string().optional().meta({ description: 'why, when DECLINED (card_declined, insufficient_funds, ...)' }),
    processorReference: z.string().optional().meta({ description: "the partner's id of the charge or refund" }),
    processedAt: timestamp(),
  })
  .meta({ $id: `${SCHEMA_BASE}/payments.results.json`, title: 'PaymentResult' });

/** The partner's answer to one PaymentRequest, on `payments.results`. */
export type PaymentResult = z.infer<typeof PaymentResultSchema>;

export const BOOKING_EVENT_TYPES = ['BookingRequested', 'BookingConfirmed', 'BookingCancelled'] as const;
export type BookingEventType = (typeof BOOKING_EVENT_TYPES)[number];

export const BookingEventSchema = z
  .object({
    version: version1(),
    type: z.enum(BOOKING_EVENT_TYPES),
    eventId: z
      .string()
      .min(1)
      .meta({ description: '"{bookingId}:{type}": the same on a re-publication, so consumers can drop duplicates' }),
    bookingId: z.string().min(1),
    jobId: z.string().min(1),
    applicationId: z.string().min(1),
    customer: z.string().min(1),
    nanny: z.string().min(1),
    bookingReference: z.string().optional().meta({ description: 'set on BookingConfirmed' }),
    cancellationReason: z.string().optional().meta({ description: 'set on BookingCancelled' }),
    occurredAt: timestamp(),
  })
  .meta({
    $id: `${SCHEMA_BASE}/bookings.events.json`,
    title: 'BookingEvent',
    description: 'One thing that happened to a booking, keyed by booking id.',
  });

/** One thing that happened to a booking, on `bookings.events`, keyed by booking id. */
export type BookingEvent = z.infer<typeof BookingEventSchema>;
