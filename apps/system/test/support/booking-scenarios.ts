import { getBooking, jobWithApplicants, processBooking } from './fixtures';
import type { GatewayClient } from './harness';

const APPLICATIONS = `query ($jobId: ID!) { listJobApplications(jobId: $jobId) { id status } }`;
const GET_JOB = `query ($id: ID!) { getJob(id: $id) { status } }`;

/**
 * How a scenario reaches a system and waits for its asynchronous work. The embedded runtime drains
 * its broker and checks once; real infrastructure (daprd + Kafka) polls until the check holds.
 */
export interface BookingDriver extends GatewayClient {
  /** Resolves once `check` holds; fails naming `what` if it never does. */
  eventually(check: () => Promise<boolean>, what: string): Promise<void>;
}

const applicationStatuses = async (driver: BookingDriver, token: string, jobId: string) => {
  const response = await driver.gql<{ listJobApplications: Array<{ id: string; status: string }> }>(
    APPLICATIONS,
    { jobId },
    { token },
  );
  return Object.fromEntries((response.data?.listJobApplications ?? []).map((a) => [a.id, a.status]));
};

const jobStatus = async (driver: BookingDriver, token: string, id: string) =>
  (await driver.gql<{ getJob: { status: string } | null }>(GET_JOB, { id }, { token })).data?.getJob?.status;

/** A parent's job with `applicants` applications, and the parent's booking of the first one, paid with `paymentToken`. */
const bookTheFirstOf = async (driver: BookingDriver, applicants: number, paymentToken: string) => {
  const { parent, job, applications } = await jobWithApplicants(driver, applicants);
  const booked = await processBooking(driver, parent.token, {
    jobId: job.id,
    applicationId: applications[0].id,
    paymentToken,
  });
  return { parent, job, applications, booked };
};

/**
 * The booking flow's scenarios, written once for every runtime: booking-scenarios.e2e.test.ts runs
 * them on the embedded runtime; the real-infrastructure issue runs the same ones against daprd and
 * Kafka with a polling driver.
 */
export const bookingScenarios = {
  /** Reserve, pay (tok_visa), confirm: a reference, the job closed, the other applicant declined. */
  async confirmsAndDeclinesTheOthers(driver: BookingDriver): Promise<void> {
    const { parent, job, applications, booked } = await bookTheFirstOf(driver, 2, 'tok_visa');
    await driver.eventually(
      async () => (await applicationStatuses(driver, parent.token, job.id))[applications[1].id] === 'DECLINED',
      'the other application to be DECLINED',
    );

    expect(booked.status).toBe('UNCONFIRMED');
    expect((await getBooking(driver, parent.token, booked.id)).data?.getBooking).toMatchObject({
      status: 'CONFIRMED',
      bookingReference: expect.stringMatching(/^[A-HJ-NP-Z2-9]{6}$/),
      maskedPaymentToken: 'tok_…isa',
    });
    expect(await jobStatus(driver, parent.token, job.id)).toBe('CLOSED');
    expect(await applicationStatuses(driver, parent.token, job.id)).toEqual({
      [applications[0].id]: 'ACCEPTED',
      [applications[1].id]: 'DECLINED',
    });
  },

  /** Payment declined (tok_chargeDeclined): CANCELLED with the reason, the reservation undone. */
  async compensatesADeclinedPayment(driver: BookingDriver): Promise<void> {
    const { parent, job, applications, booked } = await bookTheFirstOf(driver, 1, 'tok_chargeDeclined');
    await driver.eventually(
      async () =>
        (await getBooking(driver, parent.token, booked.id)).data?.getBooking?.status === 'CANCELLED' &&
        (await jobStatus(driver, parent.token, job.id)) === 'OPEN',
      'the booking to be CANCELLED and the job OPEN again',
    );

    expect((await getBooking(driver, parent.token, booked.id)).data?.getBooking).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'payment declined: card_declined',
      bookingReference: null,
    });
    expect(await applicationStatuses(driver, parent.token, job.id)).toEqual({ [applications[0].id]: 'PENDING' });
  },
};
