import {
  BookingRoutes,
  DomainEventTypes,
  EventEntityOwners,
  eventRoutes,
  JobRoutes,
  UserRoutes,
  type AppId,
} from '@sitter/contracts';
import { AppError, timeWindow } from '@sitter/ports';
import { subscriptionResolvers } from '../live/subscriptions';
import { idArgument, usernameArgument } from './arguments';
import { requireActor, requireActorOrApiKey, requireRole } from './context';
import { graphQLError } from './errors';
import type { InputMaybe, Job, QueryEventsByTypeArgs, Resolvers } from './generated/types';

/**
 * Resolvers only authenticate, check roles and the shape of ids, and forward to the owning
 * service; rules that need data (ownership, account status, uniqueness, who sees which fields
 * of a profile or a job) live in the services.
 */
export const resolvers: Resolvers = {
  Query: {
    getUser: (_, { username }, context) => {
      requireActor(context);
      return context.services.find(UserRoutes.getUser, {
        params: { username: usernameArgument('username', username) },
      });
    },
    getJob: (_, { id }, context) => {
      requireActor(context);
      return context.services.find(JobRoutes.getJob, { params: { id: idArgument('id', id) } });
    },
    listJobsByStatus: (_, { jobStatus, limit, afterCursor }, context) => {
      requireActorOrApiKey(context);
      // Open jobs are public; booked (CLOSED) ones say whose home is busy when, so they need a token.
      if (!context.actor && jobStatus !== 'OPEN') {
        throw graphQLError('UNAUTHENTICATED', 'with only an x-api-key, jobStatus must be OPEN');
      }
      checkPageLimit(limit);
      return context.services.call(JobRoutes.listJobs, { query: { status: jobStatus, limit, after: afterCursor } });
    },
    listJobs: (_, { filter, sortBy, limit, afterCursor }, context) => {
      requireActorOrApiKey(context);
      checkPageLimit(limit);
      // The job service plans the filter against its indexes (and refuses what they cannot serve).
      return context.services.call(JobRoutes.queryJobs, { body: { filter, sortBy, limit, after: afterCursor } });
    },
    listJobsNear: async (_, { latitude, longitude, radiusKm, limit, afterCursor }, context) => {
      requireActorOrApiKey(context);
      checkPageLimit(limit);
      const page = await context.services.call<{ items: Array<Job & { distanceKm: number }>; cursor: string | null }>(
        JobRoutes.listJobsNear,
        { query: { latitude, longitude, radiusKm, limit, after: afterCursor } },
      );
      return { ...page, items: page.items.map(({ distanceKm, ...job }) => ({ distanceKm, job })) };
    },
    listJobApplications: (_, { jobId }, context) => {
      requireActor(context);
      return context.services.call(JobRoutes.listJobApplications, { params: { id: idArgument('jobId', jobId) } });
    },
    listApplications: (_, { jobId, filter, sortBy, limit, afterCursor }, context) => {
      requireActor(context);
      checkPageLimit(limit);
      return context.services.call(JobRoutes.queryJobApplications, {
        params: { id: idArgument('jobId', jobId) },
        body: { filter, sortBy, limit, after: afterCursor },
      });
    },
    listJobsAppliedTo: (_, { username }, context) => {
      requireActor(context);
      const nanny = usernameArgument('username', username);
      return context.services.call(JobRoutes.listNannyApplications, { params: { username: nanny } });
    },
    getBooking: (_, { id }, context) => {
      requireActor(context);
      return context.services.find(BookingRoutes.getBooking, { params: { id: idArgument('id', id) } });
    },
    listBookings: (_, { customer, filter, sortBy, limit, afterCursor }, context) => {
      requireActor(context);
      const owner = usernameArgument('customer', customer);
      checkPageLimit(limit);
      return context.services.call(BookingRoutes.queryBookings, {
        body: { customer: owner, filter, sortBy, limit, after: afterCursor },
      });
    },
    getBookingByStatus: (_, { customer, status, limit, afterCursor }, context) => {
      requireActor(context);
      const owner = usernameArgument('customer', customer);
      checkPageLimit(limit);
      return context.services.call(BookingRoutes.listBookings, {
        query: { customer: owner, status, limit, after: afterCursor },
      });
    },
    eventsByEntity: (_, args, context) => {
      requireActor(context);
      const { entity } = args;
      const id =
        entity === 'USER' ? usernameArgument('entityId', args.entityId) : idArgument('entityId', args.entityId);
      return context.services.call(eventRoutes(EventEntityOwners[entity]).eventsByEntity, {
        params: { entity, entityId: id },
        query: eventQuery(args),
      });
    },
    eventsByType: (_, args, context) => {
      requireRole(context, 'ADMIN');
      const { type } = args;
      return context.services.call(eventRoutes(ownerOfEventType(type)).eventsByType, {
        params: { type },
        query: eventQuery(args),
      });
    },
  },
  Subscription: subscriptionResolvers,
  Mutation: {
    createUser: (_, { user }, context) => {
      requireActor(context);
      return context.services.call(UserRoutes.createUser, { body: user });
    },
    updateUser: (_, { user }, context) => {
      requireActor(context);
      const { username, ...changes } = user;
      return context.services.call(UserRoutes.updateUser, {
        params: { username: usernameArgument('username', username) },
        body: withoutNulls(changes),
      });
    },
    updateUserStatus: (_, { username, status }, context) => {
      requireRole(context, 'ADMIN');
      return context.services.call(UserRoutes.setUserStatus, {
        params: { username: usernameArgument('username', username) },
        body: { status },
      });
    },
    createJob: (_, { job }, context) => {
      requireRole(context, 'PARENT');
      return context.services.call(JobRoutes.createJob, { body: job });
    },
    applyToJob: (_, { application }, context) => {
      requireRole(context, 'NANNY');
      return context.services.call(JobRoutes.applyToJob, {
        params: { id: idArgument('jobId', application.jobId) },
        body: {},
      });
    },
    processBooking: (_, { input }, context) => {
      requireRole(context, 'PARENT');
      idArgument('jobId', input.jobId);
      idArgument('applicationId', input.applicationId);
      return context.services.call(BookingRoutes.bookNanny, { body: input });
    },
    cancelBooking: (_, { id, reason }, context) => {
      requireActor(context);
      const body = reason === undefined || reason === null ? {} : { reason };
      return context.services.call(BookingRoutes.cancelBooking, { params: { id: idArgument('id', id) }, body });
    },
    /** Deprecated alias of processBooking: books exactly as processBooking does, so existing clients keep working. */
    bookNanny: (_, { jobId, applicationId, paymentToken }, context) => {
      requireRole(context, 'PARENT');
      idArgument('jobId', jobId);
      idArgument('applicationId', applicationId);
      return context.services.call(BookingRoutes.bookNanny, { body: { jobId, applicationId, paymentToken } });
    },
  },
  DomainEvent: {
    value: (event) => JSON.stringify(event.value),
  },
  Booking: {
    createdOn: (booking) => booking.createdAt,
  },
  JobApplication: {
    job: (application, _, context) =>
      application.job ?? context.services.find(JobRoutes.getJob, { params: { id: application.jobId } }),
  },
};

/** GraphQL passes omitted optional fields as absent but explicit nulls as null; neither changes a field. */
const withoutNulls = (input: object): Record<string, unknown> =>
  Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null && value !== undefined));

/** The time bounds are checked here (BAD_USER_INPUT naming from or to) and again by the service. */
const eventQuery = ({ from, to, limit, afterCursor }: Omit<QueryEventsByTypeArgs, 'type'>) => {
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
const checkPageLimit = (limit: InputMaybe<number> | undefined): void => {
  if (limit !== undefined && limit !== null && (limit < 1 || limit > 100)) {
    throw graphQLError('BAD_USER_INPUT', 'limit must be between 1 and 100', { field: 'limit' });
  }
};
