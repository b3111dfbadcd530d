import { BookingRoutes, JobRoutes, UserRoutes } from '@sitter/contracts';
import { isAdmin, type Actor, type DomainEvent } from '@sitter/ports';
import { z } from 'zod';
import { idArgument } from '../graphql/arguments';
import { requireActor, requireRole, type GatewayContext } from '../graphql/context';
import { graphQLError } from '../graphql/errors';
import type { NearInput, SubscriptionResolvers } from '../graphql/generated/types';
import { LiveCloseCodes } from './close-codes';
import { ConnectionSlotsUnavailableError } from './connection-slots';
import type { HeldSlot, LiveAdmission } from './live-admission';
import { distanceKm } from './geo';
import { LiveQueue } from './live-queue';

const accountStatus = z.object({ status: z.string().optional() });
const jobOwner = z.object({ owner: z.string().optional() });

type Select = (event: DomainEvent) => unknown;

/** setTimeout's longest delay; a later expiry is re-armed when it fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const isDeactivation = (event: DomainEvent, actor: Actor) =>
  event.type === 'USER_STATUS_CHANGED' &&
  event.entityId === actor.username &&
  (event.value as { status?: string }).status === 'DEACTIVATED';

/** A deactivated user subscribes to nothing; a token without a profile (an ADMIN) may. */
const requireActiveAccount = async (context: GatewayContext, actor: Actor) => {
  const profile = await context.services.find(UserRoutes.getUser, {
    params: { username: actor.username },
    answer: accountStatus,
  });
  if (profile?.status === 'DEACTIVATED') throw graphQLError('FORBIDDEN', 'your account is deactivated');
};

const tooManyConnections = () => graphQLError('RATE_LIMITED', 'too many live connections; close one and try again');

/**
 * Counts an SSE subscription against the connection limits (see LiveAdmission): RATE_LIMITED over this process's or
 * the user's, SERVICE_UNAVAILABLE when the user's cannot be counted (fail closed). `onLost` ends the subscription
 * when its slot is lost while open. Answers what gives both back.
 */
const admitStream = async (admission: LiveAdmission, actor: Actor, onLost: () => void): Promise<() => void> => {
  if (!admission.enter()) {
    admission.leave();
    throw tooManyConnections();
  }
  let slot: HeldSlot | undefined;
  try {
    slot = await admission.hold(actor.username, onLost);
  } catch (error) {
    admission.leave();
    if (!(error instanceof ConnectionSlotsUnavailableError)) throw error;
    throw graphQLError('SERVICE_UNAVAILABLE', error.message);
  }
  if (!slot) {
    admission.leave();
    throw tooManyConnections();
  }
  const held = slot;
  return () => {
    held.release();
    admission.leave();
  };
};

/**
 * A subscription over the replica's event feed: authorized when it starts (by the caller) and again for every event
 * (by `select`, which answers undefined for an event the subscriber may not see), ended when the subscriber is
 * deactivated, when the token expires, or when the client falls behind by more than the buffer. Over SSE it counts
 * against the connection limits from here until it ends, however it ends (the iterator's end: the client went away,
 * an error ended it).
 */
const liveSubscription = async (context: GatewayContext, actor: Actor, select: Select) => {
  const live = context.live;
  if (!live) throw graphQLError('SERVICE_UNAVAILABLE', 'live updates are not served by this gateway');
  await requireActiveAccount(context, actor);
  let stopListening = () => undefined as unknown;
  let expiry: NodeJS.Timeout | undefined;
  const leave = live.admission
    ? await admitStream(live.admission, actor, () =>
        end(LiveCloseCodes.tooManyConnections, 'too many connections for this user', tooManyConnections()),
      )
    : () => undefined;
  const end = (code: number, reason: string, error: Error) => {
    queue.fail(error);
    live.connection.close?.(code, reason);
  };
  const queue = new LiveQueue<unknown>(
    live.bufferSize,
    () =>
      end(
        LiveCloseCodes.bufferOverflow,
        'subscription buffer overflow: the client reads too slowly',
        graphQLError('RATE_LIMITED', 'the client fell too far behind; subscribe again'),
      ),
    () => {
      stopListening();
      clearTimeout(expiry);
      leave();
    },
  );
  stopListening = live.feed.listen((event) => {
    if (isDeactivation(event, actor)) {
      end(LiveCloseCodes.forbidden, 'account deactivated', graphQLError('FORBIDDEN', 'your account was deactivated'));
      return;
    }
    const payload = select(event);
    if (payload !== undefined) queue.push(payload);
  });
  const armExpiry = () => {
    const expiresAt = live.connection.expiresAt;
    if (expiresAt === undefined) return;
    const remaining = expiresAt - Date.now();
    if (remaining > MAX_TIMER_MS) {
      expiry = setTimeout(armExpiry, MAX_TIMER_MS);
      return;
    }
    expiry = setTimeout(
      () => end(LiveCloseCodes.unauthorized, 'token expired', graphQLError('UNAUTHENTICATED', 'token expired')),
      Math.max(0, remaining),
    );
  };
  armExpiry();
  return queue;
};

const ownedBy = (event: DomainEvent, actor: Actor) => isAdmin(actor) || event.owners.includes(actor.username);

const checkNear = (near: NearInput) => {
  const { latitude, longitude, radiusKm } = near;
  if (!(latitude >= -90 && latitude <= 90)) {
    throw graphQLError('BAD_USER_INPUT', 'latitude must be between -90 and 90', { field: 'latitude' });
  }
  if (!(longitude >= -180 && longitude <= 180)) {
    throw graphQLError('BAD_USER_INPUT', 'longitude must be between -180 and 180', { field: 'longitude' });
  }
  if (!(radiusKm > 0 && radiusKm <= 500)) {
    throw graphQLError('BAD_USER_INPUT', 'radiusKm must be more than 0 and at most 500', { field: 'radiusKm' });
  }
  return { latitude, longitude, radiusKm };
};

/** The events carry the entity as its service answers it; it is the field's value as it is. */
const payloadAsIs = { resolve: <T>(payload: T): T => payload };

/** The Subscription root: each field checks who may subscribe, then which events reach that subscriber. */
export const subscriptionResolvers: SubscriptionResolvers = {
  bookingUpdated: {
    ...payloadAsIs,
    subscribe: async (_, { id }, context) => {
      const actor = requireActor(context);
      const bookingId = idArgument('id', id);
      // The booking service decides who may see the booking (its customer, its nanny, ADMIN).
      const booking = await context.services.find(BookingRoutes.getBooking, { params: { id: bookingId } });
      if (!booking) throw graphQLError('NOT_FOUND', `booking '${bookingId}' does not exist`);
      return liveSubscription(context, actor, (event) =>
        event.entity === 'BOOKING' && event.entityId === bookingId && ownedBy(event, actor) ? event.value : undefined,
      );
    },
  },
  applicationUpdated: {
    ...payloadAsIs,
    subscribe: async (_, { jobId }, context) => {
      const actor = requireActor(context);
      const id = idArgument('jobId', jobId);
      const job = await context.services.find(JobRoutes.getJob, { params: { id }, answer: jobOwner });
      if (!job) throw graphQLError('NOT_FOUND', `job ${id} not found`);
      if (job.owner !== actor.username && !isAdmin(actor)) {
        throw graphQLError('FORBIDDEN', "only the job's owner follows its applications");
      }
      return liveSubscription(context, actor, (event) =>
        event.entity === 'APPLICATION' && (event.value as { jobId?: string }).jobId === id && ownedBy(event, actor)
          ? event.value
          : undefined,
      );
    },
  },
  myApplicationUpdated: {
    ...payloadAsIs,
    subscribe: async (_, __, context) => {
      const actor = requireRole(context, 'NANNY');
      return liveSubscription(context, actor, (event) =>
        event.entity === 'APPLICATION' &&
        event.type !== 'APPLICATION_SUBMITTED' &&
        (event.value as { nanny?: string }).nanny === actor.username
          ? event.value
          : undefined,
      );
    },
  },
  jobPosted: {
    ...payloadAsIs,
    subscribe: async (_, { near }, context) => {
      const actor = requireRole(context, 'NANNY');
      const centre = checkNear(near);
      return liveSubscription(context, actor, (event) => {
        if (event.type !== 'JOB_POSTED' || event.publicValue === undefined) return undefined;
        const job = event.publicValue as { latitude: number; longitude: number };
        const distance = distanceKm(centre, job);
        return distance <= centre.radiusKm ? { job, distanceKm: Math.round(distance * 1000) / 1000 } : undefined;
      });
    },
  },
};
