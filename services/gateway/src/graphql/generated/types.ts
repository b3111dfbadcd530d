import type { GraphQLResolveInfo } from 'graphql';
import type { DomainEvent as DomainEventRecord } from '@sitter/ports';
import type { GatewayContext } from '../context';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
};

/**
 * Which of one job's applications listApplications answers. The job's applications index names all of them and is
 * bounded by what one job gathers, so every field and operator is served (checked against those applications only).
 */
export type ApplicationFilter = {
  and?: InputMaybe<Array<ApplicationFilter>>;
  createdOn?: InputMaybe<StringFilter>;
  declineReason?: InputMaybe<StringFilter>;
  nanny?: InputMaybe<StringFilter>;
  not?: InputMaybe<ApplicationFilter>;
  or?: InputMaybe<Array<ApplicationFilter>>;
  status?: InputMaybe<ApplicationStatusFilter>;
  updatedOn?: InputMaybe<StringFilter>;
};

export type ApplicationSortBy = {
  direction: SortDirection;
  field: ApplicationSortField;
};

export type ApplicationSortField =
  | 'createdOn';

export type ApplicationStatus =
  | 'ACCEPTED'
  | 'DECLINED'
  | 'PENDING';

export type ApplicationStatusFilter = {
  eq?: InputMaybe<ApplicationStatus>;
  in?: InputMaybe<Array<ApplicationStatus>>;
  isDefined?: InputMaybe<Scalars['Boolean']['input']>;
  ne?: InputMaybe<ApplicationStatus>;
};

/** A parent's booking of one nanny's application. UNCONFIRMED until paid, then CONFIRMED, or CANCELLED. */
export type Booking = {
  __typename?: 'Booking';
  /** The job's cost as charged: a decimal string such as 120.00. */
  amount: Scalars['String']['output'];
  applicationId: Scalars['ID']['output'];
  /** Short, unique and readable (e.g. K7X4Q2); set once the booking is CONFIRMED. */
  bookingReference?: Maybe<Scalars['String']['output']>;
  /** Why the booking was cancelled; null unless CANCELLED. */
  cancellationReason?: Maybe<Scalars['String']['output']>;
  /** @deprecated Use createdOn. */
  createdAt: Scalars['String']['output'];
  /** When the booking was requested (ISO-8601), as createdOn is on users, jobs and applications. */
  createdOn: Scalars['String']['output'];
  /** ISO 4217, e.g. GBP. */
  currency: Scalars['String']['output'];
  /** The parent who booked. */
  customer: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  jobId: Scalars['ID']['output'];
  /** The payment token with its middle hidden, e.g. tok_…isa. The token itself is never returned. */
  maskedPaymentToken: Scalars['String']['output'];
  nanny: Scalars['String']['output'];
  status: BookingStatus;
  updatedAt: Scalars['String']['output'];
};

export type BookingConnection = {
  __typename?: 'BookingConnection';
  /** Pass as afterCursor for the next page; null on the last page. */
  cursor?: Maybe<Scalars['String']['output']>;
  items: Array<Booking>;
};

/**
 * Which of one customer's bookings listBookings answers. The bookings index keeps each customer's bookings per
 * status, by month and in createdOn order, so a filter may say anything about status (also inside and/or/not) and
 * narrow createdOn to a range at its top level (eq, gt, gte, lt, lte, beginsWith, isDefined: true); anything else
 * is BAD_USER_INPUT naming it.
 */
export type BookingFilter = {
  and?: InputMaybe<Array<BookingFilter>>;
  createdOn?: InputMaybe<StringFilter>;
  not?: InputMaybe<BookingFilter>;
  or?: InputMaybe<Array<BookingFilter>>;
  status?: InputMaybe<BookingStatusFilter>;
};

/** Bookings come newest first (createdOn DESC), the order the index is read in; ASC is refused. */
export type BookingSortBy = {
  direction: SortDirection;
  field: BookingSortField;
};

export type BookingSortField =
  | 'createdOn';

export type BookingStatus =
  | 'CANCELLED'
  | 'CONFIRMED'
  | 'UNCONFIRMED';

export type BookingStatusFilter = {
  eq?: InputMaybe<BookingStatus>;
  in?: InputMaybe<Array<BookingStatus>>;
  isDefined?: InputMaybe<Scalars['Boolean']['input']>;
  ne?: InputMaybe<BookingStatus>;
};

export type CreateJobApplicationInput = {
  jobId: Scalars['ID']['input'];
};

export type CreateJobInput = {
  address: Scalars['String']['input'];
  city: Scalars['String']['input'];
  cost: Scalars['String']['input'];
  endDate: Scalars['String']['input'];
  endTime: Scalars['String']['input'];
  jobType: JobType;
  latitude: Scalars['Float']['input'];
  longitude: Scalars['Float']['input'];
  /** With startTime, Europe/London time; must not be in the past. */
  startDate: Scalars['String']['input'];
  startTime: Scalars['String']['input'];
};

export type CreateUserInput = {
  about?: InputMaybe<Scalars['String']['input']>;
  address?: InputMaybe<Scalars['String']['input']>;
  city?: InputMaybe<Scalars['String']['input']>;
  dateOfBirth?: InputMaybe<Scalars['String']['input']>;
  email: Scalars['String']['input'];
  firstName: Scalars['String']['input'];
  lastName: Scalars['String']['input'];
  latitude?: InputMaybe<Scalars['Float']['input']>;
  longitude?: InputMaybe<Scalars['Float']['input']>;
  profilePicUrl?: InputMaybe<Scalars['String']['input']>;
  /** Must be one of the token's roles. */
  type: UserType;
  /** Must be the token's username (any case); stored lower case. */
  username: Scalars['String']['input'];
};

/** One change, recorded in the same transaction as the change itself. */
export type DomainEvent = {
  __typename?: 'DomainEvent';
  /** Who made the change; system for the services' own work (a payment result, a decline). */
  actor: Scalars['String']['output'];
  /** ISO-8601 UTC. */
  createdAt: Scalars['String']['output'];
  entity: EventEntity;
  /** A username for USER, an id otherwise. */
  entityId: Scalars['ID']['output'];
  id: Scalars['ID']['output'];
  /** The x-request-id of the request that made the change; system for the services' own work. */
  requestId: Scalars['String']['output'];
  type: EventType;
  /** The entity as it was after the change, as JSON text. */
  value: Scalars['String']['output'];
};

export type DomainEventConnection = {
  __typename?: 'DomainEventConnection';
  /** Pass as afterCursor for the next page; null on the last page. */
  cursor?: Maybe<Scalars['String']['output']>;
  items: Array<DomainEvent>;
};

/** What a domain event is about. */
export type EventEntity =
  | 'APPLICATION'
  | 'BOOKING'
  | 'JOB'
  | 'USER';

/** Every kind of change the services record. */
export type EventType =
  | 'APPLICATION_ACCEPTED'
  | 'APPLICATION_DECLINED'
  | 'APPLICATION_REOPENED'
  | 'APPLICATION_SUBMITTED'
  | 'BOOKING_CANCELLED'
  | 'BOOKING_CONFIRMED'
  | 'BOOKING_REQUESTED'
  | 'BOOKING_UPDATED'
  | 'JOB_CLOSED'
  | 'JOB_POSTED'
  | 'JOB_REOPENED'
  | 'USER_CREATED'
  | 'USER_STATUS_CHANGED'
  | 'USER_UPDATED';

/**
 * A job. Its owner, ADMIN and the nanny booked for it see all of it; anyone else (and the public,
 * with an API key) sees no address and coordinates rounded to 0.01 degrees (about 1 km).
 */
export type Job = {
  __typename?: 'Job';
  /** Null unless the caller is the owner, an ADMIN or the booked nanny. */
  address?: Maybe<Scalars['String']['output']>;
  city: Scalars['String']['output'];
  /** Decimal string, exactly as entered, e.g. 120.00 */
  cost: Scalars['String']['output'];
  createdOn: Scalars['String']['output'];
  endDate: Scalars['String']['output'];
  endTime: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  jobType: JobType;
  /** Exact for the owner, an ADMIN and the booked nanny; rounded to 0.01 degrees for anyone else. */
  latitude: Scalars['Float']['output'];
  longitude: Scalars['Float']['output'];
  owner: Scalars['String']['output'];
  /** ISO date, YYYY-MM-DD, Europe/London */
  startDate: Scalars['String']['output'];
  /** HH:MM, Europe/London wall-clock time */
  startTime: Scalars['String']['output'];
  status: JobStatus;
  updatedOn?: Maybe<Scalars['String']['output']>;
};

export type JobApplication = {
  __typename?: 'JobApplication';
  createdOn: Scalars['String']['output'];
  declineReason?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  job?: Maybe<Job>;
  jobId: Scalars['ID']['output'];
  nanny: Scalars['String']['output'];
  status: ApplicationStatus;
  updatedOn?: Maybe<Scalars['String']['output']>;
};

export type JobApplicationConnection = {
  __typename?: 'JobApplicationConnection';
  /** Pass as afterCursor for the next page; null on the last page. */
  cursor?: Maybe<Scalars['String']['output']>;
  items: Array<JobApplication>;
};

export type JobConnection = {
  __typename?: 'JobConnection';
  /** Pass as afterCursor for the next page; null on the last page. */
  cursor?: Maybe<Scalars['String']['output']>;
  items: Array<Job>;
};

/**
 * Which jobs listJobs answers. The jobs index keeps each status in createdOn order, so a filter may say anything
 * about status (also inside and/or/not) and narrow createdOn to a range at its top level (or inside a top-level
 * and) with eq, gt, gte, lt, lte, beginsWith or isDefined: true. Anything else (createdOn with ne, in, contains or
 * isDefined: false, createdOn under or/not, an or mixing the two fields) is BAD_USER_INPUT naming it
 * (extensions.field, e.g. filter.createdOn.contains): it would mean reading jobs the answer does not hold.
 */
export type JobFilter = {
  and?: InputMaybe<Array<JobFilter>>;
  /** ISO-8601, so text order is time order: createdOn: { beginsWith: 2026-12 } is December 2026. */
  createdOn?: InputMaybe<StringFilter>;
  not?: InputMaybe<JobFilter>;
  or?: InputMaybe<Array<JobFilter>>;
  status?: InputMaybe<JobStatusFilter>;
};

/** A job just posted near where a nanny asked, as anyone but its owner sees it (no address, rounded coordinates). */
export type JobPosted = {
  __typename?: 'JobPosted';
  /** From the point asked about to the job's rounded coordinates. */
  distanceKm: Scalars['Float']['output'];
  job: Job;
};

/** Jobs come newest first (createdOn DESC) unless ASC is asked for; the index is read in either direction. */
export type JobSortBy = {
  direction: SortDirection;
  field: JobSortField;
};

export type JobSortField =
  | 'createdOn';

export type JobStatus =
  | 'CLOSED'
  | 'OPEN';

export type JobStatusFilter = {
  eq?: InputMaybe<JobStatus>;
  in?: InputMaybe<Array<JobStatus>>;
  isDefined?: InputMaybe<Scalars['Boolean']['input']>;
  ne?: InputMaybe<JobStatus>;
};

export type JobType =
  | 'DAILY'
  | 'LIVE_IN'
  | 'ONE_OFF';

export type Mutation = {
  __typename?: 'Mutation';
  applyToJob: JobApplication;
  /** @deprecated Use processBooking; this alias needs a paymentToken too. */
  bookNanny: Booking;
  /** The customer or an ADMIN cancels an UNCONFIRMED or CONFIRMED booking; a payment is refunded. */
  cancelBooking: Booking;
  createJob: Job;
  createUser: User;
  /** Books the application's nanny: answers an UNCONFIRMED booking, which ends CONFIRMED or CANCELLED. */
  processBooking: Booking;
  updateUser: User;
  updateUserStatus: User;
};


export type MutationApplyToJobArgs = {
  application: CreateJobApplicationInput;
};


export type MutationBookNannyArgs = {
  applicationId: Scalars['ID']['input'];
  jobId: Scalars['ID']['input'];
  paymentToken?: InputMaybe<Scalars['String']['input']>;
};


export type MutationCancelBookingArgs = {
  id: Scalars['ID']['input'];
  reason?: InputMaybe<Scalars['String']['input']>;
};


export type MutationCreateJobArgs = {
  job: CreateJobInput;
};


export type MutationCreateUserArgs = {
  user: CreateUserInput;
};


export type MutationProcessBookingArgs = {
  input: ProcessBookingInput;
};


export type MutationUpdateUserArgs = {
  user: UpdateUserInput;
};


export type MutationUpdateUserStatusArgs = {
  status: UserStatus;
  username: Scalars['String']['input'];
};

export type NearInput = {
  latitude: Scalars['Float']['input'];
  longitude: Scalars['Float']['input'];
  /** More than 0, at most 500. */
  radiusKm: Scalars['Float']['input'];
};

/** An OPEN job with its distance from the point asked about. */
export type NearbyJob = {
  __typename?: 'NearbyJob';
  /** Kilometres along the Earth's surface, measured to the job's public point (rounded to 0.01 degrees). */
  distanceKm: Scalars['Float']['output'];
  job: Job;
};

export type NearbyJobConnection = {
  __typename?: 'NearbyJobConnection';
  /** Pass as afterCursor for the next page; null on the last page. */
  cursor?: Maybe<Scalars['String']['output']>;
  items: Array<NearbyJob>;
};

export type ProcessBookingInput = {
  applicationId: Scalars['ID']['input'];
  jobId: Scalars['ID']['input'];
  /** A card token from the payment partner (in the sandbox: tok_visa, tok_chargeDeclined, tok_timeout). */
  paymentToken: Scalars['String']['input'];
};

export type Query = {
  __typename?: 'Query';
  /**
   * One entity's events, oldest first. from and to are ISO-8601 at any precision (2026, 2026-12, 2026-12-01,
   * 2026-12-01T10:00Z), both inclusive of the period they name. ADMIN reads any entity's; anyone else only
   * the events of entities they own (their profile, their jobs, applications they made or received, their bookings).
   */
  eventsByEntity: DomainEventConnection;
  /** Events of one type across entities, oldest first, with the same time bounds; ADMIN only. */
  eventsByType: DomainEventConnection;
  getBooking?: Maybe<Booking>;
  /** One customer's bookings in one status, newest first. Customers list their own; ADMIN anyone's. */
  getBookingByStatus: BookingConnection;
  getJob?: Maybe<Job>;
  getUser?: Maybe<User>;
  /** One job's applications by a filter, oldest first unless sortBy says DESC, in pages. The job's owner or ADMIN. */
  listApplications: JobApplicationConnection;
  /** One customer's bookings by a filter (see BookingFilter), newest first, in pages. Customers list their own; ADMIN anyone's. */
  listBookings: BookingConnection;
  listJobApplications: Array<JobApplication>;
  /**
   * Jobs by a filter (see JobFilter), newest first unless sortBy says ASC, in pages: the cursor names the last job shown, so jobs posted or
   * booked meanwhile never make a job appear twice or go missing. With only an x-api-key the filter must select
   * OPEN jobs alone (status: { eq: OPEN }).
   */
  listJobs: JobConnection;
  listJobsAppliedTo: Array<JobApplication>;
  /** Newest first. Callable with a JWT or an x-api-key header; with only the API key, jobStatus must be OPEN. */
  listJobsByStatus: JobConnection;
  /**
   * OPEN jobs within radiusKm (more than 0, at most 200) of the point, nearest first, from the nearby index (cells of
   * about 55 km); latitude -90..90, longitude -180..180. Callable with a JWT or an x-api-key header.
   */
  listJobsNear: NearbyJobConnection;
};


export type QueryEventsByEntityArgs = {
  afterCursor?: InputMaybe<Scalars['String']['input']>;
  entity: EventEntity;
  entityId: Scalars['ID']['input'];
  from?: InputMaybe<Scalars['String']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  to?: InputMaybe<Scalars['String']['input']>;
};


export type QueryEventsByTypeArgs = {
  afterCursor?: InputMaybe<Scalars['String']['input']>;
  from?: InputMaybe<Scalars['String']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  to?: InputMaybe<Scalars['String']['input']>;
  type: EventType;
};


export type QueryGetBookingArgs = {
  id: Scalars['ID']['input'];
};


export type QueryGetBookingByStatusArgs = {
  afterCursor?: InputMaybe<Scalars['String']['input']>;
  customer: Scalars['String']['input'];
  limit?: InputMaybe<Scalars['Int']['input']>;
  status: BookingStatus;
};


export type QueryGetJobArgs = {
  id: Scalars['ID']['input'];
};


export type QueryGetUserArgs = {
  username: Scalars['String']['input'];
};


export type QueryListApplicationsArgs = {
  afterCursor?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ApplicationFilter>;
  jobId: Scalars['ID']['input'];
  limit?: InputMaybe<Scalars['Int']['input']>;
  sortBy?: InputMaybe<ApplicationSortBy>;
};


export type QueryListBookingsArgs = {
  afterCursor?: InputMaybe<Scalars['String']['input']>;
  customer: Scalars['String']['input'];
  filter?: InputMaybe<BookingFilter>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  sortBy?: InputMaybe<BookingSortBy>;
};


export type QueryListJobApplicationsArgs = {
  jobId: Scalars['ID']['input'];
};


export type QueryListJobsArgs = {
  afterCursor?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<JobFilter>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  sortBy?: InputMaybe<JobSortBy>;
};


export type QueryListJobsAppliedToArgs = {
  username: Scalars['String']['input'];
};


export type QueryListJobsByStatusArgs = {
  afterCursor?: InputMaybe<Scalars['String']['input']>;
  jobStatus: JobStatus;
  limit?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryListJobsNearArgs = {
  afterCursor?: InputMaybe<Scalars['String']['input']>;
  latitude: Scalars['Float']['input'];
  limit?: InputMaybe<Scalars['Int']['input']>;
  longitude: Scalars['Float']['input'];
  radiusKm: Scalars['Float']['input'];
};

export type SortDirection =
  | 'ASC'
  | 'DESC';

/** Operators on a text field; every one given must hold. Which ones a list can serve is in its description. */
export type StringFilter = {
  beginsWith?: InputMaybe<Scalars['String']['input']>;
  contains?: InputMaybe<Scalars['String']['input']>;
  eq?: InputMaybe<Scalars['String']['input']>;
  gt?: InputMaybe<Scalars['String']['input']>;
  gte?: InputMaybe<Scalars['String']['input']>;
  in?: InputMaybe<Array<Scalars['String']['input']>>;
  isDefined?: InputMaybe<Scalars['Boolean']['input']>;
  lt?: InputMaybe<Scalars['String']['input']>;
  lte?: InputMaybe<Scalars['String']['input']>;
  ne?: InputMaybe<Scalars['String']['input']>;
};

/**
 * Live updates, over WebSocket (graphql-ws, protocol graphql-transport-ws; the token in connection_init's payload
 * as { "Authorization": "Bearer <token>" }) or SSE (POST /graphql with accept: text/event-stream and the
 * authorization header). Each event is checked against the subscriber when it arrives; a deactivated account's
 * subscriptions end, and an expired token closes the connection (WebSocket code 4401).
 */
export type Subscription = {
  __typename?: 'Subscription';
  /** A job's applications as they arrive and change; for the job's owner (and ADMIN). */
  applicationUpdated: JobApplication;
  /** A booking's changes (UNCONFIRMED to CONFIRMED or CANCELLED); for its customer, its nanny and ADMIN. */
  bookingUpdated: Booking;
  /** Jobs posted within radiusKm of a point; for nannies. */
  jobPosted: JobPosted;
  /** The calling nanny's applications as their status changes (ACCEPTED, DECLINED with the reason, back to PENDING). */
  myApplicationUpdated: JobApplication;
};


/**
 * Live updates, over WebSocket (graphql-ws, protocol graphql-transport-ws; the token in connection_init's payload
 * as { "Authorization": "Bearer <token>" }) or SSE (POST /graphql with accept: text/event-stream and the
 * authorization header). Each event is checked against the subscriber when it arrives; a deactivated account's
 * subscriptions end, and an expired token closes the connection (WebSocket code 4401).
 */
export type SubscriptionApplicationUpdatedArgs = {
  jobId: Scalars['ID']['input'];
};


/**
 * Live updates, over WebSocket (graphql-ws, protocol graphql-transport-ws; the token in connection_init's payload
 * as { "Authorization": "Bearer <token>" }) or SSE (POST /graphql with accept: text/event-stream and the
 * authorization header). Each event is checked against the subscriber when it arrives; a deactivated account's
 * subscriptions end, and an expired token closes the connection (WebSocket code 4401).
 */
export type SubscriptionBookingUpdatedArgs = {
  id: Scalars['ID']['input'];
};


/**
 * Live updates, over WebSocket (graphql-ws, protocol graphql-transport-ws; the token in connection_init's payload
 * as { "Authorization": "Bearer <token>" }) or SSE (POST /graphql with accept: text/event-stream and the
 * authorization header). Each event is checked against the subscriber when it arrives; a deactivated account's
 * subscriptions end, and an expired token closes the connection (WebSocket code 4401).
 */
export type SubscriptionJobPostedArgs = {
  near: NearInput;
};

/** Only these fields of a profile can change; username names the profile. */
export type UpdateUserInput = {
  about?: InputMaybe<Scalars['String']['input']>;
  address?: InputMaybe<Scalars['String']['input']>;
  city?: InputMaybe<Scalars['String']['input']>;
  firstName?: InputMaybe<Scalars['String']['input']>;
  lastName?: InputMaybe<Scalars['String']['input']>;
  latitude?: InputMaybe<Scalars['Float']['input']>;
  longitude?: InputMaybe<Scalars['Float']['input']>;
  username: Scalars['String']['input'];
};

/**
 * A profile. The owner and ADMIN see all of it; anyone else sees the public profile (username, type,
 * firstName, city, about, profilePicUrl, status, dates): the private fields are null for them.
 */
export type User = {
  __typename?: 'User';
  about?: Maybe<Scalars['String']['output']>;
  /** Private: null unless the caller is the owner or an ADMIN. */
  address?: Maybe<Scalars['String']['output']>;
  /** Where the user lives at city level; public. */
  city?: Maybe<Scalars['String']['output']>;
  createdOn: Scalars['String']['output'];
  /** Private: null unless the caller is the owner or an ADMIN. */
  dateOfBirth?: Maybe<Scalars['String']['output']>;
  /** Private: null unless the caller is the owner or an ADMIN. */
  email?: Maybe<Scalars['String']['output']>;
  firstName: Scalars['String']['output'];
  /** Private: null unless the caller is the owner or an ADMIN. */
  lastName?: Maybe<Scalars['String']['output']>;
  /** Private: null unless the caller is the owner or an ADMIN. */
  latitude?: Maybe<Scalars['Float']['output']>;
  /** Private: null unless the caller is the owner or an ADMIN. */
  longitude?: Maybe<Scalars['Float']['output']>;
  profilePicUrl?: Maybe<Scalars['String']['output']>;
  status: UserStatus;
  type: UserType;
  updatedOn?: Maybe<Scalars['String']['output']>;
  /** Lower case: usernames are case-insensitive (Alice and alice are one account). */
  username: Scalars['String']['output'];
};

export type UserStatus =
  | 'DEACTIVATED'
  | 'UNVERIFIED'
  | 'VERIFIED';

export type UserType =
  | 'NANNY'
  | 'PARENT';



export type ResolverTypeWrapper<T> = Promise<T> | T;


export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;





/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  ApplicationFilter: ApplicationFilter;
  ApplicationSortBy: ApplicationSortBy;
  ApplicationSortField: ApplicationSortField;
  ApplicationStatus: ApplicationStatus;
  ApplicationStatusFilter: ApplicationStatusFilter;
  Booking: ResolverTypeWrapper<Omit<Booking, 'createdOn'>>;
  BookingConnection: ResolverTypeWrapper<Omit<BookingConnection, 'items'> & { items: Array<ResolversTypes['Booking']> }>;
  BookingFilter: BookingFilter;
  BookingSortBy: BookingSortBy;
  BookingSortField: BookingSortField;
  BookingStatus: BookingStatus;
  BookingStatusFilter: BookingStatusFilter;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  CreateJobApplicationInput: CreateJobApplicationInput;
  CreateJobInput: CreateJobInput;
  CreateUserInput: CreateUserInput;
  DomainEvent: ResolverTypeWrapper<DomainEventRecord>;
  DomainEventConnection: ResolverTypeWrapper<Omit<DomainEventConnection, 'items'> & { items: Array<ResolversTypes['DomainEvent']> }>;
  EventEntity: EventEntity;
  EventType: EventType;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Job: ResolverTypeWrapper<Job>;
  JobApplication: ResolverTypeWrapper<JobApplication>;
  JobApplicationConnection: ResolverTypeWrapper<JobApplicationConnection>;
  JobConnection: ResolverTypeWrapper<JobConnection>;
  JobFilter: JobFilter;
  JobPosted: ResolverTypeWrapper<JobPosted>;
  JobSortBy: JobSortBy;
  JobSortField: JobSortField;
  JobStatus: JobStatus;
  JobStatusFilter: JobStatusFilter;
  JobType: JobType;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  NearInput: NearInput;
  NearbyJob: ResolverTypeWrapper<NearbyJob>;
  NearbyJobConnection: ResolverTypeWrapper<NearbyJobConnection>;
  ProcessBookingInput: ProcessBookingInput;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  SortDirection: SortDirection;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  StringFilter: StringFilter;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  UpdateUserInput: UpdateUserInput;
  User: ResolverTypeWrapper<User>;
  UserStatus: UserStatus;
  UserType: UserType;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  ApplicationFilter: ApplicationFilter;
  ApplicationSortBy: ApplicationSortBy;
  ApplicationStatusFilter: ApplicationStatusFilter;
  Booking: Omit<Booking, 'createdOn'>;
  BookingConnection: Omit<BookingConnection, 'items'> & { items: Array<ResolversParentTypes['Booking']> };
  BookingFilter: BookingFilter;
  BookingSortBy: BookingSortBy;
  BookingStatusFilter: BookingStatusFilter;
  Boolean: Scalars['Boolean']['output'];
  CreateJobApplicationInput: CreateJobApplicationInput;
  CreateJobInput: CreateJobInput;
  CreateUserInput: CreateUserInput;
  DomainEvent: DomainEventRecord;
  DomainEventConnection: Omit<DomainEventConnection, 'items'> & { items: Array<ResolversParentTypes['DomainEvent']> };
  Float: Scalars['Float']['output'];
  ID: Scalars['ID']['output'];
  Int: Scalars['Int']['output'];
  Job: Job;
  JobApplication: JobApplication;
  JobApplicationConnection: JobApplicationConnection;
  JobConnection: JobConnection;
  JobFilter: JobFilter;
  JobPosted: JobPosted;
  JobSortBy: JobSortBy;
  JobStatusFilter: JobStatusFilter;
  Mutation: Record<PropertyKey, never>;
  NearInput: NearInput;
  NearbyJob: NearbyJob;
  NearbyJobConnection: NearbyJobConnection;
  ProcessBookingInput: ProcessBookingInput;
  Query: Record<PropertyKey, never>;
  String: Scalars['String']['output'];
  StringFilter: StringFilter;
  Subscription: Record<PropertyKey, never>;
  UpdateUserInput: UpdateUserInput;
  User: User;
};

export type BookingResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['Booking'] = ResolversParentTypes['Booking']> = {
  amount?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  applicationId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  bookingReference?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  cancellationReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdOn?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  customer?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  jobId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  maskedPaymentToken?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  nanny?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['BookingStatus'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type BookingConnectionResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['BookingConnection'] = ResolversParentTypes['BookingConnection']> = {
  cursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  items?: Resolver<Array<ResolversTypes['Booking']>, ParentType, ContextType>;
};

export type DomainEventResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['DomainEvent'] = ResolversParentTypes['DomainEvent']> = {
  actor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  entity?: Resolver<ResolversTypes['EventEntity'], ParentType, ContextType>;
  entityId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  requestId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['EventType'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type DomainEventConnectionResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['DomainEventConnection'] = ResolversParentTypes['DomainEventConnection']> = {
  cursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  items?: Resolver<Array<ResolversTypes['DomainEvent']>, ParentType, ContextType>;
};

export type JobResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['Job'] = ResolversParentTypes['Job']> = {
  address?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  city?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  cost?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdOn?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  endDate?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  endTime?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  jobType?: Resolver<ResolversTypes['JobType'], ParentType, ContextType>;
  latitude?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  longitude?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  owner?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  startDate?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  startTime?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['JobStatus'], ParentType, ContextType>;
  updatedOn?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type JobApplicationResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['JobApplication'] = ResolversParentTypes['JobApplication']> = {
  createdOn?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  declineReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  job?: Resolver<Maybe<ResolversTypes['Job']>, ParentType, ContextType>;
  jobId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  nanny?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ApplicationStatus'], ParentType, ContextType>;
  updatedOn?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type JobApplicationConnectionResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['JobApplicationConnection'] = ResolversParentTypes['JobApplicationConnection']> = {
  cursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  items?: Resolver<Array<ResolversTypes['JobApplication']>, ParentType, ContextType>;
};

export type JobConnectionResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['JobConnection'] = ResolversParentTypes['JobConnection']> = {
  cursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  items?: Resolver<Array<ResolversTypes['Job']>, ParentType, ContextType>;
};

export type JobPostedResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['JobPosted'] = ResolversParentTypes['JobPosted']> = {
  distanceKm?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  job?: Resolver<ResolversTypes['Job'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  applyToJob?: Resolver<ResolversTypes['JobApplication'], ParentType, ContextType, RequireFields<MutationApplyToJobArgs, 'application'>>;
  bookNanny?: Resolver<ResolversTypes['Booking'], ParentType, ContextType, RequireFields<MutationBookNannyArgs, 'applicationId' | 'jobId'>>;
  cancelBooking?: Resolver<ResolversTypes['Booking'], ParentType, ContextType, RequireFields<MutationCancelBookingArgs, 'id'>>;
  createJob?: Resolver<ResolversTypes['Job'], ParentType, ContextType, RequireFields<MutationCreateJobArgs, 'job'>>;
  createUser?: Resolver<ResolversTypes['User'], ParentType, ContextType, RequireFields<MutationCreateUserArgs, 'user'>>;
  processBooking?: Resolver<ResolversTypes['Booking'], ParentType, ContextType, RequireFields<MutationProcessBookingArgs, 'input'>>;
  updateUser?: Resolver<ResolversTypes['User'], ParentType, ContextType, RequireFields<MutationUpdateUserArgs, 'user'>>;
  updateUserStatus?: Resolver<ResolversTypes['User'], ParentType, ContextType, RequireFields<MutationUpdateUserStatusArgs, 'status' | 'username'>>;
};

export type NearbyJobResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['NearbyJob'] = ResolversParentTypes['NearbyJob']> = {
  distanceKm?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  job?: Resolver<ResolversTypes['Job'], ParentType, ContextType>;
};

export type NearbyJobConnectionResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['NearbyJobConnection'] = ResolversParentTypes['NearbyJobConnection']> = {
  cursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  items?: Resolver<Array<ResolversTypes['NearbyJob']>, ParentType, ContextType>;
};

export type QueryResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  eventsByEntity?: Resolver<ResolversTypes['DomainEventConnection'], ParentType, ContextType, RequireFields<QueryEventsByEntityArgs, 'entity' | 'entityId'>>;
  eventsByType?: Resolver<ResolversTypes['DomainEventConnection'], ParentType, ContextType, RequireFields<QueryEventsByTypeArgs, 'type'>>;
  getBooking?: Resolver<Maybe<ResolversTypes['Booking']>, ParentType, ContextType, RequireFields<QueryGetBookingArgs, 'id'>>;
  getBookingByStatus?: Resolver<ResolversTypes['BookingConnection'], ParentType, ContextType, RequireFields<QueryGetBookingByStatusArgs, 'customer' | 'status'>>;
  getJob?: Resolver<Maybe<ResolversTypes['Job']>, ParentType, ContextType, RequireFields<QueryGetJobArgs, 'id'>>;
  getUser?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType, RequireFields<QueryGetUserArgs, 'username'>>;
  listApplications?: Resolver<ResolversTypes['JobApplicationConnection'], ParentType, ContextType, RequireFields<QueryListApplicationsArgs, 'jobId'>>;
  listBookings?: Resolver<ResolversTypes['BookingConnection'], ParentType, ContextType, RequireFields<QueryListBookingsArgs, 'customer'>>;
  listJobApplications?: Resolver<Array<ResolversTypes['JobApplication']>, ParentType, ContextType, RequireFields<QueryListJobApplicationsArgs, 'jobId'>>;
  listJobs?: Resolver<ResolversTypes['JobConnection'], ParentType, ContextType, Partial<QueryListJobsArgs>>;
  listJobsAppliedTo?: Resolver<Array<ResolversTypes['JobApplication']>, ParentType, ContextType, RequireFields<QueryListJobsAppliedToArgs, 'username'>>;
  listJobsByStatus?: Resolver<ResolversTypes['JobConnection'], ParentType, ContextType, RequireFields<QueryListJobsByStatusArgs, 'jobStatus'>>;
  listJobsNear?: Resolver<ResolversTypes['NearbyJobConnection'], ParentType, ContextType, RequireFields<QueryListJobsNearArgs, 'latitude' | 'longitude' | 'radiusKm'>>;
};

export type SubscriptionResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  applicationUpdated?: SubscriptionResolver<ResolversTypes['JobApplication'], "applicationUpdated", ParentType, ContextType, RequireFields<SubscriptionApplicationUpdatedArgs, 'jobId'>>;
  bookingUpdated?: SubscriptionResolver<ResolversTypes['Booking'], "bookingUpdated", ParentType, ContextType, RequireFields<SubscriptionBookingUpdatedArgs, 'id'>>;
  jobPosted?: SubscriptionResolver<ResolversTypes['JobPosted'], "jobPosted", ParentType, ContextType, RequireFields<SubscriptionJobPostedArgs, 'near'>>;
  myApplicationUpdated?: SubscriptionResolver<ResolversTypes['JobApplication'], "myApplicationUpdated", ParentType, ContextType>;
};

export type UserResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['User'] = ResolversParentTypes['User']> = {
  about?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  address?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  city?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  createdOn?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  dateOfBirth?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  email?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  firstName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  lastName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  latitude?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  longitude?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  profilePicUrl?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['UserStatus'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['UserType'], ParentType, ContextType>;
  updatedOn?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  username?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type Resolvers<ContextType = GatewayContext> = {
  Booking?: BookingResolvers<ContextType>;
  BookingConnection?: BookingConnectionResolvers<ContextType>;
  DomainEvent?: DomainEventResolvers<ContextType>;
  DomainEventConnection?: DomainEventConnectionResolvers<ContextType>;
  Job?: JobResolvers<ContextType>;
  JobApplication?: JobApplicationResolvers<ContextType>;
  JobApplicationConnection?: JobApplicationConnectionResolvers<ContextType>;
  JobConnection?: JobConnectionResolvers<ContextType>;
  JobPosted?: JobPostedResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  NearbyJob?: NearbyJobResolvers<ContextType>;
  NearbyJobConnection?: NearbyJobConnectionResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  User?: UserResolvers<ContextType>;
};

