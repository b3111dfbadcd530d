import {
  conflict,
  forbidden,
  hasRole,
  notFound,
  type Actor,
  parseInput,
  createOnly,
  retryOnConflict,
} from '@sitter/ports';
import {
  freshSaga,
  Keys,
  publicView,
  type Booking,
  type BookingRecord,
  type BookingRequestClaim,
  type StoredPaymentToken,
} from './booking';
import { errorMessage, type BookingContext } from './context';
import { maskPaymentToken } from './payment-token';
import { processBookingSchema, type ProcessBookingInput } from './validation';

const requireActiveAccount = async (context: BookingContext, actor: Actor): Promise<void> => {
  const status = await context.accounts.statusOf(actor, actor.username);
  if (status === 'MISSING') throw forbidden('create your user profile first');
  if (status === 'DEACTIVATED') throw forbidden('your account is deactivated');
};

const newRecord = (
  context: BookingContext,
  input: ProcessBookingInput,
  parties: { customer: string; nanny: string; amount: string },
): BookingRecord => {
  const now = context.clock.now();
  return {
    id: context.newId(),
    status: 'UNCONFIRMED',
    jobId: input.jobId,
    applicationId: input.applicationId,
    ...parties,
    currency: context.settings.currency,
    maskedPaymentToken: maskPaymentToken(input.paymentToken),
    bookingReference: null,
    cancellationReason: null,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    saga: freshSaga(new Date(now.getTime() + context.settings.paymentDeadlineMs).toISOString()),
  };
};

/**
 * A nanny whose account is deactivated (or gone) cannot be booked. CONFLICT, not FORBIDDEN: the
 * customer may book, but the nanny's account is in a state that does not allow it.
 */
const requireBookableNanny = async (context: BookingContext, actor: Actor, nanny: string): Promise<void> => {
  if ((await context.accounts.statusOf(actor, nanny)) !== 'ACTIVE') {
    throw conflict("the nanny's account is not active; this application cannot be booked");
  }
};

/**
 * The booking an earlier delivery of the same request (same customer and request id) created, if any: a client
 * or a sidecar that retries after a lost answer gets that booking instead of a second one. The same request id
 * used for another job or application is a CONFLICT.
 */
const bookingOfEarlierRequest = async (
  context: BookingContext,
  requestKey: string | undefined,
  input: ProcessBookingInput,
): Promise<Booking | undefined> => {
  if (requestKey === undefined) return undefined;
  const claim = (await context.store.get<BookingRequestClaim>(requestKey))?.value;
  if (!claim) return undefined;
  if (claim.jobId !== input.jobId || claim.applicationId !== input.applicationId) {
    throw conflict('this request id was already used to book another application');
  }
  const booking = await context.repository.load(claim.bookingId);
  if (!booking) throw new Error(`booking ${claim.bookingId} of request ${requestKey} is missing`);
  return publicView(booking.value);
};

/**
 * Checks what can be answered at once (role, input, both accounts, that the job is the caller's and
 * the application is the job's) and stores an UNCONFIRMED booking; a refusal writes nothing. Everything
 * else happens after the answer, driven by the BookingRequested event: a job that is no longer open or a
 * racing booking ends this booking CANCELLED with a reason, not in an error here.
 */
export const processBooking =
  (context: BookingContext) =>
  async (actor: Actor, rawInput: unknown, requestId?: string): Promise<Booking> => {
    if (!hasRole(actor, 'PARENT')) throw forbidden('only a parent can book a nanny');
    const input = parseInput(processBookingSchema, rawInput);
    const requestKey = requestId ? Keys.request(actor.username, requestId) : undefined;
    const repeated = await bookingOfEarlierRequest(context, requestKey, input);
    if (repeated) return repeated;
    await requireActiveAccount(context, actor);
    const job = await context.jobs.findJob(actor, input.jobId);
    if (!job) throw notFound(`job ${input.jobId} not found`);
    if (job.owner !== actor.username) throw forbidden("only the job's owner can book it");
    const applications = await context.jobs.listApplications(actor, input.jobId);
    const application = applications.find((candidate) => candidate.id === input.applicationId);
    if (!application) throw notFound(`application ${input.applicationId} not found for job ${input.jobId}`);
    await requireBookableNanny(context, actor, application.nanny);

    const record = newRecord(context, input, { customer: actor.username, nanny: application.nanny, amount: job.cost });
    const token: StoredPaymentToken = { paymentToken: input.paymentToken };
    const claim: BookingRequestClaim = { bookingId: record.id, jobId: input.jobId, applicationId: input.applicationId };
    const extra = [
      createOnly(Keys.paymentToken(record.id), token),
      ...(requestKey ? [createOnly(requestKey, claim)] : []),
    ];
    // A repeat of this request racing this one: whichever stored its claim first made the booking.
    const raced = await retryOnConflict('the booking', async () => {
      const earlier = await bookingOfEarlierRequest(context, requestKey, input);
      if (!earlier) await context.repository.create(record, extra);
      return earlier;
    });
    if (raced) return raced;
    context.log.info('booking requested', { bookingId: record.id, jobId: record.jobId });
    try {
      await context.messages.event(record, 'BookingRequested', context.clock.now());
    } catch (error) {
      // The booking is stored and listed as due: the scheduler starts it instead.
      context.log.warn('could not publish BookingRequested', { bookingId: record.id, reason: errorMessage(error) });
    }
    return publicView(record);
  };
