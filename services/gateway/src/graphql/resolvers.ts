import { AppIds, DomainEventTypes, EventEntityOwners, type AppId } from '@sitter/contracts';
import { AppError, timeWindow } from '@sitter/ports';
import { subscriptionResolvers } from '../live/subscriptions';
import { idArgument, usernameArgument } from './arguments';
import type { GatewayContext } from './context';
import { requireActor, requireActorOrApiKey, requireRole } from './context';
import { graphQLError } from './errors';

type Args = Record<string, unknown>;
interface JobApplicationParent {
  jobId: string;
  job?: unknown;
}

const enc = encodeURIComponent;

const queryString = (params: Record<string, unknown>): string => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null) search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
};

/**
 * Resolvers only authenticate, check roles and the shape of ids, and forward to the owning
 * service; rules that need data (ownership, account status, uniqueness, who sees which fields
 * of a profile or a job) live in the services.
 */
export const resolvers = {
  Query: {
    getUser: (_: unknown, { username }: Args, context: GatewayContext) => {
      requireActor(context);
      return context.services.find(AppIds.user, `/users/${enc(usernameArgument('username', username))}`);
    },
    getJob: (_: unknown, { id }: Args, context: GatewayContext) => {
      requireActor(context);
      return context.services.find(AppIds.job, `/jobs/${enc(idArgument('id', id))}`);
    },
    listJobsByStatus: (_: unknown, { jobStatus, limit, afterCursor }: Args, context: GatewayContext) => {
      requireActorOrApiKey(context);
      // Open jobs are public; booked (CLOSED) ones say whose home is busy when, so they need a token.
      if (!context.actor && jobStatus !== 'OPEN') {
        throw graphQLError('UNAUTHENTICATED', 'with only an x-api-key, jobStatus must be OPEN');
      }
      checkPageLimit(limit);
      return context.services.call(
        AppIds.job,
        'GET',
        `/jobs${queryString({ status: jobStatus, limit, after: afterCursor })}`,
      );
    },
    listJobs: (_: unknown, { filter, sortBy, limit, afterCursor }: Args, context: GatewayContext) => {
      requireActorOrApiKey(context);
      checkPageLimit(limit);
      // The job service plans the filter against its indexes (and refuses what they cannot serve).
      return context.services.call(AppIds.job, 'POST', '/jobs/queries', { filter, sortBy, limit, after: afterCursor });
    },
    listJobsNear: async (
      _: unknown,
      { latitude, longitude, radiusKm, limit, afterCursor }: Args,
      context: GatewayContext,
    ) => {
      requireActorOrApiKey(context);
      checkPageLimit(limit);
      const path = `/jobs-near${queryString({ latitude, longitude, radiusKm, limit, after: afterCursor })}`;
      const page = await context.services.call<{ items: Array<{ distanceKm: number }>; cursor: string | null }>(
        AppIds.job,
        'GET',
        path,
      );
      return { ...page, items: page.items.map(({ distanceKm, ...job }) => ({ distanceKm, job })) };
    },
    listJobApplications: (_: unknown, { jobId }: Args, context: GatewayContext) => {
      requireActor(context);
      return context.services.call(AppIds.job, 'GET', `/jobs/${enc(idArgument('jobId', jobId))}/applications`);
    },
    listApplications: (_: unknown, { jobId, filter, sortBy, limit, afterCursor }: Args, context: GatewayContext) => {
      requireActor(context);
      checkPageLimit(limit);
      const path = `/jobs/${enc(idArgument('jobId', jobId))}/applications/queries`;
      return context.services.call(AppIds.job, 'POST', path, { filter, sortBy, limit, after: afterCursor });
    },
    listJobsAppliedTo: (_: unknown, { username }: Args, context: GatewayContext) => {
      requireActor(context);
      const nanny = usernameArgument('username', username);
      return context.services.call(AppIds.job, 'GET', `/nannies/${enc(nanny)}/applications`);
    },
    getBooking: (_: unknown, { id }: Args, context: GatewayContext) => {
      requireActor(context);
      return context.services.find(AppIds.booking, `/bookings/${enc(idArgument('id', id))}`);
    },
    listBookings: (_: unknown, { customer, filter, sortBy, limit, afterCursor }: Args, context: GatewayContext) => {
      requireActor(context);
      const owner = usernameArgument('customer', customer);
      checkPageLimit(limit);
      return context.services.call(AppIds.booking, 'POST', '/bookings/queries', {
        customer: owner,
        filter,
        sortBy,
        limit,
        after: afterCursor,
      });
    },
    getBookingByStatus: (_: unknown, { customer, status, limit, afterCursor }: Args, context: GatewayContext) => {
      requireActor(context);
      const owner = usernameArgument('customer', customer);
      checkPageLimit(limit);
      return context.services.call(
        AppIds.booking,
        'GET',
        `/bookings${queryString({ customer: owner, status, limit, after: afterCursor })}`,
      );
    },
    eventsByEntity: (_: unknown, args: Args, context: GatewayContext) => {
      requireActor(context);
      const entity = args.entity as keyof typeof EventEntityOwners;
      const id =
        entity === 'USER' ? usernameArgument('entityId', args.entityId) : idArgument('entityId', args.entityId);
      const query = eventQuery(args);
      return context.services.call(
        EventEntityOwners[entity],
        'GET',
        `/domain-events/by-entity/${entity}/${enc(id)}${queryString(query)}`,
      );
    },
    eventsByType: (_: unknown, args: Args, context: GatewayContext) => {
      requireRole(context, 'ADMIN');
      const type = String(args.type);
      const query = eventQuery(args);
      return context.services.call(
        ownerOfEventType(type),
        'GET',
        `/domain-events/by-type/${enc(type)}${queryString(query)}`,
      );
    },
  },
  Subscription: subscriptionResolvers,
  Mutation: {
    createUser: (_: unknown, { user }: Args, context: GatewayContext) => {
      requireActor(context);
      return context.services.call(AppIds.user, 'POST', '/users', user);
    },
    updateUser: (_: unknown, { user }: Args, context: GatewayContext) => {
      requireActor(context);
      const { username, ...changes } = user as { username: string } & Args;
      const path = `/users/${enc(usernameArgument('username', username))}`;
      return context.services.call(AppIds.user, 'PATCH', path, withoutNulls(changes));
    },
    updateUserStatus: (_: unknown, { username, status }: Args, context: GatewayContext) => {
      requireRole(context, 'ADMIN');
      const path = `/users/${enc(usernameArgument('username', username))}/status`;
      return context.services.call(AppIds.user, 'PUT', path, { status });
    },
    createJob: (_: unknown, { job }: Args, context: GatewayContext) => {
      requireRole(context, 'PARENT');
      return context.services.call(AppIds.job, 'POST', '/jobs', job);
    },
    applyToJob: (_: unknown, { application }: Args, context: GatewayContext) => {
      requireRole(context, 'NANNY');
      const { jobId } = application as { jobId: string };
      return context.services.call(AppIds.job, 'POST', `/jobs/${enc(idArgument('jobId', jobId))}/applications`, {});
    },
    processBooking: (_: unknown, { input }: Args, context: GatewayContext) => {
      requireRole(context, 'PARENT');
      const { jobId, applicationId } = input as { jobId: string; applicationId: string };
      idArgument('jobId', jobId);
      idArgument('applicationId', applicationId);
      return context.services.call(AppIds.booking, 'POST', '/bookings', input);
    },
    cancelBooking: (_: unknown, { id, reason }: Args, context: GatewayContext) => {
      requireActor(context);
      const body = reason === undefined || reason === null ? {} : { reason };
      const path = `/bookings/${enc(idArgument('id', id))}/cancellation`;
      return context.services.call(AppIds.booking, 'POST', path, body);
    },
    /** Deprecated alias of processBooking: books exactly as processBooking does, so existing clients keep working. */
    bookNanny: (_: unknown, { jobId, applicationId, paymentToken }: Args, context: GatewayContext) => {
      requireRole(context, 'PARENT');
      idArgument('jobId', jobId);
      idArgument('applicationId', applicationId);
      return context.services.call(AppIds.booking, 'POST', '/bookings', { jobId, applicationId, paymentToken });
    },
  },
  DomainEvent: {
    value: (event: { value: unknown }) => JSON.stringify(event.value),
  },
  Booking: {
    createdOn: (booking: { createdAt: string }) => booking.createdAt,
  },
  JobApplication: {
    job: (application: JobApplicationParent, _: Args, context: GatewayContext) =>
      application.job ?? context.services.find(AppIds.job, `/jobs/${enc(application.jobId)}`),
  },
};

/** GraphQL passes omitted optional fields as absent but explicit nulls as null; neither changes a field. */
const withoutNulls = (input: Args): Args =>
  Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null && value !== undefined));

/** The time bounds are checked here (BAD_USER_INPUT naming from or to) and again by the service. */
const eventQuery = ({ from, to, limit, afterCursor }: Args) => {
  try {
    timeWindow(from, to);
  } catch (error) {
    if (error instanceof AppError) throw graphQLError(error.code, error.message, { field: error.field });
    throw error;
  }
  checkPageLimit(limit);
  return { from, to, limit, after: afterCursor };
};

const ownerOfEventType = (type: string): AppId => {
  const [owner] = Object.entries(DomainEventTypes).find(([, types]) => (types as readonly string[]).includes(type))!;
  return owner as AppId;
};

/** Page sizes every list accepts; the services check it too, this answers before a round trip. */
const checkPageLimit = (limit: unknown): void => {
  if (limit !== undefined && limit !== null && (typeof limit !== 'number' || limit < 1 || limit > 100)) {
    throw graphQLError('BAD_USER_INPUT', 'limit must be between 1 and 100', { field: 'limit' });
  }
};
