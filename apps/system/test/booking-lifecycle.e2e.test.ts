import { createLogger, type Logger } from '@sitter/platform';
import {
  BOOKINGS_BY_STATUS,
  CANCEL_BOOKING,
  apply,
  getBooking,
  jobWithApplicants,
  postJob,
  processBooking,
  signUp,
  type BookingView,
} from './support/fixtures';
import { ManualClock, MINUTE } from './support/clock';
import { errorCodes, startTestSystem, type GraphQLResponse, type TestSystem } from './support/harness';

const GET_JOB = `query ($id: ID!) { getJob(id: $id) { status } }`;

/** Every component's log lines, as each logger formats them (redaction included). */
const logLines: string[] = [];
const capturing = (name: string): Logger => {
  const logger = createLogger(name, 'debug');
  for (const transport of logger.transports) transport.silent = true;
  logger.on('data', (info: Record<string, unknown>) => logLines.push(JSON.stringify(info)));
  return logger;
};

/** Every GraphQL answer body of this file. */
const answers: string[] = [];

describe('the booking lifecycle through the gateway', () => {
  const clock = new ManualClock();
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem({ booking: { clock }, loggerFor: capturing, logLevel: 'debug' });
  });
  afterAll(async () => {
    await t.stop();
  });

  const settle = () => t.system.runtime.broker.drain();
  const keep = <R extends GraphQLResponse>(response: R): R => {
    answers.push(JSON.stringify(response));
    return response;
  };
  const read = async (token: string, id: string) =>
    keep(await getBooking(t, token, id)).data?.getBooking as BookingView;
  const book = async (paymentToken: string, applicants = 1) => {
    const scenario = await jobWithApplicants(t, applicants);
    const booking = await processBooking(t, scenario.parent.token, {
      jobId: scenario.job.id,
      applicationId: scenario.applications[0].id,
      paymentToken,
    });
    answers.push(JSON.stringify(booking));
    await settle();
    return { ...scenario, booking };
  };
  const cancel = async (token: string, id: string, reason?: string) =>
    keep(await t.gql<{ cancelBooking: BookingView }>(CANCEL_BOOKING, { id, reason }, { token }));
  const byStatus = async (token: string, variables: Record<string, unknown>) =>
    keep(
      await t.gql<{ getBookingByStatus: { items: Array<{ id: string }>; cursor: string | null } }>(
        BOOKINGS_BY_STATUS,
        variables,
        { token },
      ),
    );

  it('when the partner never answers (tok_timeout), then after the deadline the scheduler cancels and reopens the job', async () => {
    const { parent, job, booking } = await book('tok_timeout');
    expect((await read(parent.token, booking.id)).status).toBe('UNCONFIRMED');

    clock.advance(15 * MINUTE);
    await t.system.bookingScheduler.sweep();
    await settle();

    expect(await read(parent.token, booking.id)).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'no payment result before the booking deadline',
    });
    expect((await t.gql(GET_JOB, { id: job.id }, { token: parent.token })).data?.getJob).toEqual({ status: 'OPEN' });
  });

  it('when the customer cancels a CONFIRMED booking, then CANCELLED with the reason and the job reopens', async () => {
    const { parent, job, booking } = await book('tok_visa');
    expect((await read(parent.token, booking.id)).status).toBe('CONFIRMED');

    const response = await cancel(parent.token, booking.id, 'we are staying home');
    await settle();

    expect(response.data?.cancelBooking).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'we are staying home',
    });
    expect((await t.gql(GET_JOB, { id: job.id }, { token: parent.token })).data?.getJob).toEqual({ status: 'OPEN' });
  });

  it('when the booked nanny cancels, then FORBIDDEN; an admin may; a second cancellation is CONFLICT', async () => {
    const { nannies, booking } = await book('tok_visa');
    const admin = await signUp(t, 'PARENT', ['ADMIN']);

    const byNanny = await cancel(nannies[0].token, booking.id);
    const byAdmin = await cancel(admin.token, booking.id);
    const again = await cancel(admin.token, booking.id);

    expect(errorCodes(byNanny)).toEqual(['FORBIDDEN']);
    expect(byAdmin.data?.cancelBooking).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'cancelled by an admin',
    });
    expect(errorCodes(again)).toEqual(['CONFLICT']);
  });

  it('when a customer lists bookings by status, then newest first, page by page; others are FORBIDDEN, an admin may', async () => {
    const parent = await signUp(t, 'PARENT');
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const job = await postJob(t, parent.token);
      const application = await apply(t, (await signUp(t, 'NANNY')).token, job.id);
      ids.push(
        (
          await processBooking(t, parent.token, {
            jobId: job.id,
            applicationId: application.id,
            paymentToken: 'tok_visa',
          })
        ).id,
      );
      await settle();
      clock.advance(MINUTE);
    }
    const stranger = await signUp(t, 'PARENT');
    const admin = await signUp(t, 'PARENT', ['ADMIN']);
    const query = { customer: parent.username, status: 'CONFIRMED', limit: 2 };

    const first = await byStatus(parent.token, query);
    const second = await byStatus(parent.token, { ...query, afterCursor: first.data?.getBookingByStatus.cursor });

    expect(first.data?.getBookingByStatus.items.map((item) => item.id)).toEqual([ids[2], ids[1]]);
    expect(second.data?.getBookingByStatus).toEqual({ items: [expect.objectContaining({ id: ids[0] })], cursor: null });
    expect(errorCodes(await byStatus(stranger.token, query))).toEqual(['FORBIDDEN']);
    expect((await byStatus(admin.token, query)).data?.getBookingByStatus.items).toHaveLength(2);
    expect(errorCodes(await byStatus(parent.token, { ...query, limit: 0 }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await byStatus(parent.token, { ...query, status: 'PAID' }))).toEqual(['BAD_USER_INPUT']);
  });

  it('when bookings are confirmed, declined, timed out and cancelled, then no GraphQL answer and no log line of any component carries the token', async () => {
    const tokens = ['tok_visa', 'tok_chargeDeclined', 'tok_timeout'];
    const booked = [];
    for (const paymentToken of tokens) booked.push(await book(paymentToken));
    await cancel(booked[0].parent.token, booked[0].booking.id);
    clock.advance(15 * MINUTE);
    await t.system.bookingScheduler.sweep();
    await settle();
    const outcomes = [];
    for (const { parent, booking } of booked) outcomes.push((await read(parent.token, booking.id)).cancellationReason);

    expect(outcomes).toEqual([
      'cancelled by the customer',
      'payment declined: card_declined',
      'no payment result before the booking deadline',
    ]);
    expect(logLines.some((line) => line.includes('"service":"gateway"'))).toBe(true);
    expect(logLines.some((line) => line.includes('"service":"payments-sandbox"'))).toBe(true);
    expect(answers.join('\n')).toContain('tok_…isa');
    for (const token of tokens) {
      expect(logLines.filter((line) => line.includes(token))).toEqual([]);
      expect(answers.filter((answer) => answer.includes(token))).toEqual([]);
    }
  });
});
