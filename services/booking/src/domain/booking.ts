/** Today a booking is confirmed as soon as it exists; payment will add UNCONFIRMED and CANCELLED. */
export type BookingStatus = 'CONFIRMED';

export interface Booking {
  id: string;
  jobId: string;
  applicationId: string;
  /** Username of the parent who booked. */
  customer: string;
  /** Username of the nanny whose application was accepted. */
  nanny: string;
  status: BookingStatus;
  /** ISO-8601 timestamps. */
  createdAt: string;
  updatedAt: string;
}

export const bookingKey = (id: string): string => `booking:${id}`;

export const DECLINE_REASON = 'another nanny was booked';
