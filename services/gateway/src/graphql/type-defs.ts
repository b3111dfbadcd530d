/** The public GraphQL contract. Operation names are the API; add fields, never rename. */
export const typeDefs = /* GraphQL */ `
  enum UserType {
    PARENT
    NANNY
  }

  enum UserStatus {
    UNVERIFIED
    VERIFIED
    DEACTIVATED
  }

  enum JobType {
    ONE_OFF
    DAILY
    LIVE_IN
  }

  enum JobStatus {
    OPEN
    CLOSED
  }

  enum ApplicationStatus {
    PENDING
    ACCEPTED
    DECLINED
  }

  enum BookingStatus {
    UNCONFIRMED
    CONFIRMED
    CANCELLED
  }

  """
  A profile. The owner and ADMIN see all of it; anyone else sees the public profile (username, type,
  firstName, city, about, profilePicUrl, status, dates): the private fields are null for them.
  """
  type User {
    "Lower case: usernames are case-insensitive (Alice and alice are one account)."
    username: String!
    "Private: null unless the caller is the owner or an ADMIN."
    email: String
    type: UserType!
    firstName: String!
    "Private: null unless the caller is the owner or an ADMIN."
    lastName: String
    "Private: null unless the caller is the owner or an ADMIN."
    dateOfBirth: String
    profilePicUrl: String
    "Private: null unless the caller is the owner or an ADMIN."
    address: String
    "Where the user lives at city level; public."
    city: String
    about: String
    "Private: null unless the caller is the owner or an ADMIN."
    latitude: Float
    "Private: null unless the caller is the owner or an ADMIN."
    longitude: Float
    status: UserStatus!
    createdOn: String!
    updatedOn: String
  }

  input CreateUserInput {
    "Must be the token's username (any case); stored lower case."
    username: String!
    email: String!
    "Must be one of the token's roles."
    type: UserType!
    firstName: String!
    lastName: String!
    dateOfBirth: String
    profilePicUrl: String
    address: String
    city: String
    about: String
    latitude: Float
    longitude: Float
  }

  "Only these fields of a profile can change; username names the profile."
  input UpdateUserInput {
    username: String!
    firstName: String
    lastName: String
    address: String
    city: String
    about: String
    latitude: Float
    longitude: Float
  }

  """
  A job. Its owner, ADMIN and the nanny booked for it see all of it; anyone else (and the public,
  with an API key) sees no address and coordinates rounded to 0.01 degrees (about 1 km).
  """
  type Job {
    id: ID!
    owner: String!
    jobType: JobType!
    "ISO date, YYYY-MM-DD, Europe/London"
    startDate: String!
    endDate: String!
    "HH:MM, Europe/London wall-clock time"
    startTime: String!
    endTime: String!
    "Null unless the caller is the owner, an ADMIN or the booked nanny."
    address: String
    city: String!
    "Exact for the owner, an ADMIN and the booked nanny; rounded to 0.01 degrees for anyone else."
    latitude: Float!
    longitude: Float!
    "Decimal string, exactly as entered, e.g. 120.00"
    cost: String!
    status: JobStatus!
    createdOn: String!
    updatedOn: String
  }

  input CreateJobInput {
    jobType: JobType!
    "With startTime, Europe/London time; must not be in the past."
    startDate: String!
    endDate: String!
    startTime: String!
    endTime: String!
    address: String!
    city: String!
    latitude: Float!
    longitude: Float!
    cost: String!
  }

  type JobConnection {
    items: [Job!]!
    "Pass as afterCursor for the next page; null on the last page."
    cursor: String
  }

  "Operators on a text field; every one given must hold. Which ones a list can serve is in its description."
  input StringFilter {
    eq: String
    ne: String
    gt: String
    gte: String
    lt: String
    lte: String
    in: [String!]
    beginsWith: String
    contains: String
    isDefined: Boolean
  }

  input JobStatusFilter {
    eq: JobStatus
    ne: JobStatus
    in: [JobStatus!]
    isDefined: Boolean
  }

  """
  Which jobs listJobs answers. The jobs index keeps each status in createdOn order, so a filter may say anything
  about status (also inside and/or/not) and narrow createdOn to a range at its top level (or inside a top-level
  and) with eq, gt, gte, lt, lte, beginsWith or isDefined: true. Anything else (createdOn with ne, in, contains or
  isDefined: false, createdOn under or/not, an or mixing the two fields) is BAD_USER_INPUT naming it
  (extensions.field, e.g. filter.createdOn.contains): it would mean reading jobs the answer does not hold.
  """
  input JobFilter {
    status: JobStatusFilter
    "ISO-8601, so text order is time order: createdOn: { beginsWith: 2026-12 } is December 2026."
    createdOn: StringFilter
    and: [JobFilter!]
    or: [JobFilter!]
    not: JobFilter
  }

  enum SortDirection {
    ASC
    DESC
  }

  enum JobSortField {
    createdOn
  }

  "Jobs come newest first (createdOn DESC) unless ASC is asked for; the index is read in either direction."
  input JobSortBy {
    field: JobSortField!
    direction: SortDirection!
  }

  "An OPEN job with its distance from the point asked about."
  type NearbyJob {
    "Kilometres along the Earth's surface, measured to the job's public point (rounded to 0.01 degrees)."
    distanceKm: Float!
    job: Job!
  }

  type NearbyJobConnection {
    items: [NearbyJob!]!
    "Pass as afterCursor for the next page; null on the last page."
    cursor: String
  }

  type JobApplication {
    id: ID!
    jobId: ID!
    nanny: String!
    status: ApplicationStatus!
    declineReason: String
    createdOn: String!
    updatedOn: String
    job: Job
  }

  input ApplicationStatusFilter {
    eq: ApplicationStatus
    ne: ApplicationStatus
    in: [ApplicationStatus!]
    isDefined: Boolean
  }

  """
  Which of one job's applications listApplications answers. The job's applications index names all of them and is
  bounded by what one job gathers, so every field and operator is served (checked against those applications only).
  """
  input ApplicationFilter {
    status: ApplicationStatusFilter
    nanny: StringFilter
    createdOn: StringFilter
    updatedOn: StringFilter
    declineReason: StringFilter
    and: [ApplicationFilter!]
    or: [ApplicationFilter!]
    not: ApplicationFilter
  }

  enum ApplicationSortField {
    createdOn
  }

  input ApplicationSortBy {
    field: ApplicationSortField!
    direction: SortDirection!
  }

  type JobApplicationConnection {
    items: [JobApplication!]!
    "Pass as afterCursor for the next page; null on the last page."
    cursor: String
  }

  input CreateJobApplicationInput {
    jobId: ID!
  }

  "A parent's booking of one nanny's application. UNCONFIRMED until paid, then CONFIRMED, or CANCELLED."
  type Booking {
    id: ID!
    jobId: ID!
    applicationId: ID!
    "The parent who booked."
    customer: String!
    nanny: String!
    status: BookingStatus!
    "Short, unique and readable (e.g. K7X4Q2); set once the booking is CONFIRMED."
    bookingReference: String
    "The job's cost as charged: a decimal string such as 120.00."
    amount: String!
    "ISO 4217, e.g. GBP."
    currency: String!
    "The payment token with its middle hidden, e.g. tok_…isa. The token itself is never returned."
    maskedPaymentToken: String!
    "Why the booking was cancelled; null unless CANCELLED."
    cancellationReason: String
    "When the booking was requested (ISO-8601), as createdOn is on users, jobs and applications."
    createdOn: String!
    createdAt: String! @deprecated(reason: "Use createdOn.")
    updatedAt: String!
  }

  type BookingConnection {
    items: [Booking!]!
    "Pass as afterCursor for the next page; null on the last page."
    cursor: String
  }

  input BookingStatusFilter {
    eq: BookingStatus
    ne: BookingStatus
    in: [BookingStatus!]
    isDefined: Boolean
  }

  """
  Which of one customer's bookings listBookings answers. The bookings index keeps each customer's bookings per
  status, by month and in createdOn order, so a filter may say anything about status (also inside and/or/not) and
  narrow createdOn to a range at its top level (eq, gt, gte, lt, lte, beginsWith, isDefined: true); anything else
  is BAD_USER_INPUT naming it.
  """
  input BookingFilter {
    status: BookingStatusFilter
    createdOn: StringFilter
    and: [BookingFilter!]
    or: [BookingFilter!]
    not: BookingFilter
  }

  enum BookingSortField {
    createdOn
  }

  "Bookings come newest first (createdOn DESC), the order the index is read in; ASC is refused."
  input BookingSortBy {
    field: BookingSortField!
    direction: SortDirection!
  }

  input ProcessBookingInput {
    jobId: ID!
    applicationId: ID!
    "A card token from the payment partner (in the sandbox: tok_visa, tok_chargeDeclined, tok_timeout)."
    paymentToken: String!
  }

  "What a domain event is about."
  enum EventEntity {
    USER
    JOB
    APPLICATION
    BOOKING
  }

  "Every kind of change the services record."
  enum EventType {
    USER_CREATED
    USER_UPDATED
    USER_STATUS_CHANGED
    JOB_POSTED
    JOB_CLOSED
    JOB_REOPENED
    APPLICATION_SUBMITTED
    APPLICATION_ACCEPTED
    APPLICATION_DECLINED
    APPLICATION_REOPENED
    BOOKING_REQUESTED
    BOOKING_CONFIRMED
    BOOKING_CANCELLED
    BOOKING_UPDATED
  }

  "One change, recorded in the same transaction as the change itself."
  type DomainEvent {
    id: ID!
    type: EventType!
    entity: EventEntity!
    "A username for USER, an id otherwise."
    entityId: ID!
    "The x-request-id of the request that made the change; system for the services' own work."
    requestId: String!
    "Who made the change; system for the services' own work (a payment result, a decline)."
    actor: String!
    "ISO-8601 UTC."
    createdAt: String!
    "The entity as it was after the change, as JSON text."
    value: String!
  }

  type DomainEventConnection {
    items: [DomainEvent!]!
    "Pass as afterCursor for the next page; null on the last page."
    cursor: String
  }

  type Query {
    getUser(username: String!): User
    getJob(id: ID!): Job
    "Newest first. Callable with a JWT or an x-api-key header; with only the API key, jobStatus must be OPEN."
    listJobsByStatus(jobStatus: JobStatus!, limit: Int, afterCursor: String): JobConnection!
    """
    Jobs by a filter (see JobFilter), newest first unless sortBy says ASC, in pages: the cursor names the last job shown, so jobs posted or
    booked meanwhile never make a job appear twice or go missing. With only an x-api-key the filter must select
    OPEN jobs alone (status: { eq: OPEN }).
    """
    listJobs(filter: JobFilter, sortBy: JobSortBy, limit: Int, afterCursor: String): JobConnection!
    """
    OPEN jobs within radiusKm (more than 0, at most 200) of the point, nearest first, from the nearby index (cells of
    about 55 km); latitude -90..90, longitude -180..180. Callable with a JWT or an x-api-key header.
    """
    listJobsNear(
      latitude: Float!
      longitude: Float!
      radiusKm: Float!
      limit: Int
      afterCursor: String
    ): NearbyJobConnection!
    listJobApplications(jobId: ID!): [JobApplication!]!
    listJobsAppliedTo(username: String!): [JobApplication!]!
    "One job's applications by a filter, oldest first unless sortBy says DESC, in pages. The job's owner or ADMIN."
    listApplications(
      jobId: ID!
      filter: ApplicationFilter
      sortBy: ApplicationSortBy
      limit: Int
      afterCursor: String
    ): JobApplicationConnection!
    getBooking(id: ID!): Booking
    "One customer's bookings in one status, newest first. Customers list their own; ADMIN anyone's."
    getBookingByStatus(customer: String!, status: BookingStatus!, limit: Int, afterCursor: String): BookingConnection!
    "One customer's bookings by a filter (see BookingFilter), newest first, in pages. Customers list their own; ADMIN anyone's."
    listBookings(
      customer: String!
      filter: BookingFilter
      sortBy: BookingSortBy
      limit: Int
      afterCursor: String
    ): BookingConnection!
    """
    One entity's events, oldest first. from and to are ISO-8601 at any precision (2026, 2026-12, 2026-12-01,
    2026-12-01T10:00Z), both inclusive of the period they name. ADMIN reads any entity's; anyone else only
    the events of entities they own (their profile, their jobs, applications they made or received, their bookings).
    """
    eventsByEntity(
      entity: EventEntity!
      entityId: ID!
      from: String
      to: String
      limit: Int
      afterCursor: String
    ): DomainEventConnection!
    "Events of one type across entities, oldest first, with the same time bounds; ADMIN only."
    eventsByType(type: EventType!, from: String, to: String, limit: Int, afterCursor: String): DomainEventConnection!
  }

  "A job just posted near where a nanny asked, as anyone but its owner sees it (no address, rounded coordinates)."
  type JobPosted {
    job: Job!
    "From the point asked about to the job's rounded coordinates."
    distanceKm: Float!
  }

  input NearInput {
    latitude: Float!
    longitude: Float!
    "More than 0, at most 500."
    radiusKm: Float!
  }

  """
  Live updates, over WebSocket (graphql-ws, protocol graphql-transport-ws; the token in connection_init's payload
  as { "Authorization": "Bearer <token>" }) or SSE (POST /graphql with accept: text/event-stream and the
  authorization header). Each event is checked against the subscriber when it arrives; a deactivated account's
  subscriptions end, and an expired token closes the connection (WebSocket code 4401).
  """
  type Subscription {
    "A job's applications as they arrive and change; for the job's owner (and ADMIN)."
    applicationUpdated(jobId: ID!): JobApplication!
    "The calling nanny's applications as their status changes (ACCEPTED, DECLINED with the reason, back to PENDING)."
    myApplicationUpdated: JobApplication!
    "A booking's changes (UNCONFIRMED to CONFIRMED or CANCELLED); for its customer, its nanny and ADMIN."
    bookingUpdated(id: ID!): Booking!
    "Jobs posted within radiusKm of a point; for nannies."
    jobPosted(near: NearInput!): JobPosted!
  }

  type Mutation {
    createUser(user: CreateUserInput!): User!
    updateUser(user: UpdateUserInput!): User!
    updateUserStatus(username: String!, status: UserStatus!): User!
    createJob(job: CreateJobInput!): Job!
    applyToJob(application: CreateJobApplicationInput!): JobApplication!
    "Books the application's nanny: answers an UNCONFIRMED booking, which ends CONFIRMED or CANCELLED."
    processBooking(input: ProcessBookingInput!): Booking!
    "The customer or an ADMIN cancels an UNCONFIRMED or CONFIRMED booking; a payment is refunded."
    cancelBooking(id: ID!, reason: String): Booking!
    bookNanny(jobId: ID!, applicationId: ID!, paymentToken: String): Booking!
      @deprecated(reason: "Use processBooking; this alias needs a paymentToken too.")
  }
`;
