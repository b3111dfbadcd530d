import type { Publisher } from '@sitter/ports';
import {
  PartnerTopics,
  Topics,
  type BookingEvent,
  type BookingEventType,
  type DeclineRequest,
  type PaymentRequest,
} from '@sitter/contracts';
import { DECLINE_REASON, paymentKeys, type BookingRecord } from './booking';

/**
 * Everything booking publishes: raw JSON (partners read it too), keyed by booking id so that one
 * booking's messages stay in order, or by job id for declines, as the job service expects.
 */
export class BookingMessages {
  constructor(private readonly publisher: Publisher) {}

  event(record: BookingRecord, type: BookingEventType, at: Date): Promise<void> {
    const event: BookingEvent = {
      version: 1,
      type,
      eventId: `${record.id}:${type}`,
      bookingId: record.id,
      jobId: record.jobId,
      applicationId: record.applicationId,
      customer: record.customer,
      nanny: record.nanny,
      ...(type === 'BookingConfirmed' && record.bookingReference ? { bookingReference: record.bookingReference } : {}),
      ...(type === 'BookingCancelled' && record.cancellationReason
        ? { cancellationReason: record.cancellationReason }
        : {}),
      occurredAt: at.toISOString(),
    };
    return this.publisher.publish(Topics.bookingEvents, event, { partitionKey: record.id, rawPayload: true });
  }

  authorize(record: BookingRecord, paymentToken: string, at: Date): Promise<void> {
    return this.payment({
      version: 1,
      type: 'AUTHORIZE',
      bookingId: record.id,
      idempotencyKey: paymentKeys(record.id).authorize,
      amount: record.amount,
      currency: record.currency,
      paymentToken,
      requestedAt: at.toISOString(),
    });
  }

  refund(record: BookingRecord, at: Date): Promise<void> {
    const keys = paymentKeys(record.id);
    return this.payment({
      version: 1,
      type: 'REFUND',
      bookingId: record.id,
      idempotencyKey: keys.refund,
      authorizationKey: keys.authorize,
      amount: record.amount,
      currency: record.currency,
      requestedAt: at.toISOString(),
    });
  }

  async declineOthers(record: BookingRecord, at: Date): Promise<void> {
    for (const applicationId of record.saga.otherPendingApplicationIds) {
      const decline: DeclineRequest = {
        version: 1,
        applicationId,
        jobId: record.jobId,
        reason: DECLINE_REASON,
        source: 'booking',
        requestedAt: at.toISOString(),
      };
      await this.publisher.publish(Topics.applicationDeclines, decline, {
        partitionKey: record.jobId,
        rawPayload: true,
      });
    }
  }

  private payment(request: PaymentRequest): Promise<void> {
    return this.publisher.publish(PartnerTopics.paymentRequests, request, {
      partitionKey: request.bookingId,
      rawPayload: true,
    });
  }
}
