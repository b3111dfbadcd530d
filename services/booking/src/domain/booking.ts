import type { BookingEventType } from '@sitter/contracts';

export const BOOKING_STATUSES = ['UNCONFIRMED', 'CONFIRMED', 'CANCELLED'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** A booking as the API shows it. The payment token itself is never part of it. */
export interface Booking {
  id: string;
  status: BookingStatus;
  jobId: string;
  applicationId: string;
  /** Username of the parent who booked (the job's owner). */
  customer: string;
  /** Username of the nanny whose application is booked. */
  nanny: string;
  /** The job's cost when the booking was made: exact decimal text such as "120.00". */
  amount: string;
  currency: string;
  /** The payment token with its middle hidden, e.g. "tok_…isa". */
  maskedPaymentToken: string;
  /** Short and unique, set when the booking is confirmed. */
  bookingReference: string | null;
  cancellationReason: string | null;
  /** ISO-8601 timestamps; updatedAt moves only when something shown here changes. */
  createdAt: string;
  updatedAt: string;
}

/**
 * Where the booking's saga stands. Each field records a fact (what was asked of whom, and what
 * came back), never an intention, so a re-run after a crash can tell what is left to do.
 */
export interface SagaState {
  /** REQUESTED: a reservation call may have reached the job service; its outcome is unknown. */
  reservation: 'NONE' | 'REQUESTED' | 'HELD' | 'REFUSED' | 'RELEASED';
  refusal?: string;
  /** The job's other applications still pending when the reservation was made. */
  otherPendingApplicationIds: string[];
  /** HELD: this booking owns the job's claim record, so it alone may reserve the job. */
  jobClaim: 'NONE' | 'HELD' | 'RELEASED';
  payment: 'NONE' | 'REQUESTED' | 'AUTHORIZED' | 'DECLINED';
  paymentReason?: string;
  processorReference?: string;
  /** When the payment result was recorded: results after the deadline do not confirm. */
  paymentResultAt?: string;
  refund: 'NONE' | 'REQUESTED' | 'REFUNDED' | 'FAILED';
  declinesRequested: boolean;
  eventsPublished: BookingEventType[];
  /** The booking is cancelled if not confirmed by then. */
  deadlineAt: string;
}

/** A new booking's saga: no step taken yet, to be confirmed by `deadlineAt`. */
export const freshSaga = (deadlineAt: string): SagaState => ({
  reservation: 'NONE',
  otherPendingApplicationIds: [],
  jobClaim: 'NONE',
  payment: 'NONE',
  refund: 'NONE',
  declinesRequested: false,
  eventsPublished: [],
  deadlineAt,
});

/** What is stored under `booking:{id}`. */
export interface BookingRecord extends Booking {
  saga: SagaState;
}

export const Keys = {
  booking: (id: string) => `booking:${id}`,
  /** The raw payment token, kept only until the payment request is out (or the booking is cancelled). */
  paymentToken: (id: string) => `booking-payment-token:${id}`,
  /** `{ bookingId }`: the one booking that may reserve this job. */
  jobClaim: (jobId: string) => `booking-job-claim:${jobId}`,
  /** `{ bookingId }`: makes a booking reference unique. */
  reference: (reference: string) => `booking-reference:${reference}`,
  /** A BookingRequestClaim: the booking one request of this customer created, so a repeat of it creates none. */
  request: (customer: string, requestId: string) => `booking-request:${customer}:${requestId}`,
};

export interface BookingRequestClaim {
  bookingId: string;
  jobId: string;
  applicationId: string;
}

export interface StoredPaymentToken {
  paymentToken: string;
}

export interface JobClaim {
  bookingId: string;
}

export const publicView = (record: BookingRecord): Booking => ({
  id: record.id,
  status: record.status,
  jobId: record.jobId,
  applicationId: record.applicationId,
  customer: record.customer,
  nanny: record.nanny,
  amount: record.amount,
  currency: record.currency,
  maskedPaymentToken: record.maskedPaymentToken,
  bookingReference: record.bookingReference,
  cancellationReason: record.cancellationReason,
  createdAt: record.createdAt,
  updatedAt: record.updatedAt,
});

export const DECLINE_REASON = 'another nanny was booked';

/** The idempotency keys of the booking's one authorization and one refund. */
export const paymentKeys = (bookingId: string) => ({
  authorize: `${bookingId}:authorize`,
  refund: `${bookingId}:refund`,
});
