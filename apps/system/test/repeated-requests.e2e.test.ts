import { randomUUID } from 'node:crypto';
import { BOOKINGS_BY_STATUS, PROCESS_BOOKING, jobWithApplicants, type BookingView } from './support/fixtures';
import { startTestSystem, type TestSystem } from './support/harness';

describe('a client retrying processBooking with its request id', () => {
  let t: TestSystem;

  beforeAll(async () => {
    t = await startTestSystem();
  });

  afterAll(async () => {
    await t.stop();
  });

  const book = (token: string, input: object, requestId: string) =>
    t.gql<{ processBooking: BookingView }>(
      PROCESS_BOOKING,
      { input },
      { token, headers: { 'x-request-id': requestId } },
    );

  it('when the same x-request-id is sent again, then the answer is the booking the first one made, and only it exists', async () => {
    // Arrange
    const { parent, job, applications } = await jobWithApplicants(t, 1);
    const input = { jobId: job.id, applicationId: applications[0].id, paymentToken: 'tok_visa' };
    const requestId = `retry-${randomUUID()}`;

    // Act
    const first = await book(parent.token, input, requestId);
    const retried = await book(parent.token, input, requestId);
    await t.system.runtime.broker.drain();
    const listed = await t.gql<{ getBookingByStatus: { items: Array<{ id: string }> } }>(
      BOOKINGS_BY_STATUS,
      { customer: parent.username, status: 'CONFIRMED' },
      { token: parent.token },
    );

    // Assert
    expect(first.data?.processBooking.id).toEqual(expect.any(String));
    expect(retried.data?.processBooking.id).toBe(first.data?.processBooking.id);
    expect(listed.data?.getBookingByStatus.items.map((item) => item.id)).toEqual([first.data?.processBooking.id]);
  });

  it('when the x-request-id is not a plain token (a line break, or too long), then the gateway uses its own', async () => {
    // Arrange
    const { parent, job, applications } = await jobWithApplicants(t, 2);
    const hostile = `a\r\nx-injected: 1${'b'.repeat(200)}`;

    // Act: the same hostile id twice names two different requests, so both bookings are made.
    const first = await book(
      parent.token,
      { jobId: job.id, applicationId: applications[0].id, paymentToken: 'tok_visa' },
      hostile,
    );
    const second = await book(
      parent.token,
      { jobId: job.id, applicationId: applications[1].id, paymentToken: 'tok_visa' },
      hostile,
    );

    // Assert
    expect(first.data?.processBooking.id).toEqual(expect.any(String));
    expect(second.data?.processBooking.id).toEqual(expect.any(String));
    expect(second.data?.processBooking.id).not.toBe(first.data?.processBooking.id);
  });
});
