import type { GatewayClient, GraphQLResponse } from './harness';
import { uniqueName } from './harness';

export const CREATE_USER = /* GraphQL */ `
  mutation ($user: CreateUserInput!) {
    createUser(user: $user) {
      username
      email
      type
      firstName
      lastName
      latitude
      longitude
      status
      createdOn
    }
  }
`;

export const CREATE_JOB = /* GraphQL */ `
  mutation ($job: CreateJobInput!) {
    createJob(job: $job) {
      id
      owner
      jobType
      startDate
      endDate
      startTime
      endTime
      address
      city
      latitude
      longitude
      cost
      status
    }
  }
`;

export const APPLY = /* GraphQL */ `
  mutation ($jobId: ID!) {
    applyToJob(application: { jobId: $jobId }) {
      id
      jobId
      nanny
      status
    }
  }
`;

export const BOOKING_FIELDS = /* GraphQL */ `
  id
  jobId
  applicationId
  customer
  nanny
  status
  bookingReference
  amount
  currency
  maskedPaymentToken
  cancellationReason
  createdOn
  createdAt
  updatedAt
`;

export const PROCESS_BOOKING = /* GraphQL */ `
  mutation ($input: ProcessBookingInput!) {
    processBooking(input: $input) { ${BOOKING_FIELDS} }
  }
`;

export const GET_BOOKING = /* GraphQL */ `
  query ($id: ID!) {
    getBooking(id: $id) { ${BOOKING_FIELDS} }
  }
`;

export const CANCEL_BOOKING = /* GraphQL */ `
  mutation ($id: ID!, $reason: String) {
    cancelBooking(id: $id, reason: $reason) { ${BOOKING_FIELDS} }
  }
`;

export const BOOKINGS_BY_STATUS = /* GraphQL */ `
  query ($customer: String!, $status: BookingStatus!, $limit: Int, $afterCursor: String) {
    getBookingByStatus(customer: $customer, status: $status, limit: $limit, afterCursor: $afterCursor) {
      items {
        id
        status
        createdAt
      }
      cursor
    }
  }
`;

/** The deprecated alias of processBooking. */
export const BOOK = /* GraphQL */ `
  mutation ($jobId: ID!, $applicationId: ID!, $paymentToken: String) {
    bookNanny(jobId: $jobId, applicationId: $applicationId, paymentToken: $paymentToken) {
      id
      status
    }
  }
`;

/** Next calendar year: jobs may not start in the past, so test jobs always lie ahead whenever the tests run. */
export const NEXT_YEAR = new Date().getUTCFullYear() + 1;

export const jobInput = (overrides: Record<string, unknown> = {}) => ({
  jobType: 'ONE_OFF',
  startDate: `${NEXT_YEAR}-03-01`,
  endDate: `${NEXT_YEAR}-03-02`,
  startTime: '18:00',
  endTime: '23:30',
  address: '1 Main Street',
  city: 'Leeds',
  latitude: 53.8008,
  longitude: -1.5491,
  cost: '120.00',
  ...overrides,
});

/** Creates a user profile through the gateway and returns a token for it. */
export const signUp = async (
  t: GatewayClient,
  type: 'PARENT' | 'NANNY',
  extraRoles: string[] = [],
  username = uniqueName(type.toLowerCase()),
) => {
  const token = t.tokenFor(username, type, ...extraRoles);
  const response = await t.gql(
    CREATE_USER,
    { user: { username, email: `${username}@example.com`, type, firstName: 'Sam', lastName: 'Lee' } },
    { token },
  );
  if (response.errors) throw new Error(`sign-up failed: ${JSON.stringify(response.errors)}`);
  return { username, token };
};

export const postJob = async (t: GatewayClient, parentToken: string, overrides: Record<string, unknown> = {}) => {
  const response = await t.gql<{ createJob: { id: string } }>(
    CREATE_JOB,
    { job: jobInput(overrides) },
    { token: parentToken },
  );
  if (!response.data?.createJob) throw new Error(`createJob failed: ${JSON.stringify(response.errors)}`);
  return response.data.createJob;
};

export const apply = async (t: GatewayClient, nannyToken: string, jobId: string) => {
  const response = await t.gql<{ applyToJob: { id: string } }>(APPLY, { jobId }, { token: nannyToken });
  if (!response.data?.applyToJob) throw new Error(`applyToJob failed: ${JSON.stringify(response.errors)}`);
  return response.data.applyToJob;
};

export interface BookingView {
  id: string;
  jobId: string;
  applicationId: string;
  customer: string;
  nanny: string;
  status: 'UNCONFIRMED' | 'CONFIRMED' | 'CANCELLED';
  bookingReference: string | null;
  amount: string;
  currency: string;
  maskedPaymentToken: string;
  cancellationReason: string | null;
  createdOn: string;
  /** Deprecated in the schema: createdOn. */
  createdAt: string;
  updatedAt: string;
}

/** processBooking as the parent; throws unless it answered a booking. */
export const processBooking = async (
  t: GatewayClient,
  parentToken: string,
  input: { jobId: string; applicationId: string; paymentToken: string },
) => {
  const response = await t.gql<{ processBooking: BookingView }>(PROCESS_BOOKING, { input }, { token: parentToken });
  if (!response.data?.processBooking) throw new Error(`processBooking failed: ${JSON.stringify(response.errors)}`);
  return response.data.processBooking;
};

export const getBooking = async (t: GatewayClient, token: string, id: string) =>
  t.gql<{ getBooking: BookingView | null }>(GET_BOOKING, { id }, { token });

/** A parent's job with `count` applicants, all signed up through the gateway. */
export const jobWithApplicants = async (
  t: GatewayClient,
  count: number,
  jobOverrides: Record<string, unknown> = {},
) => {
  const parent = await signUp(t, 'PARENT');
  const job = await postJob(t, parent.token, jobOverrides);
  const nannies = [];
  const applications = [];
  for (let i = 0; i < count; i += 1) {
    const nanny = await signUp(t, 'NANNY');
    nannies.push(nanny);
    applications.push(await apply(t, nanny.token, job.id));
  }
  return { parent, job, nannies, applications };
};

export const EVENTS_BY_ENTITY = /* GraphQL */ `
  query ($entity: EventEntity!, $id: ID!, $from: String, $to: String, $limit: Int, $after: String) {
    eventsByEntity(entity: $entity, entityId: $id, from: $from, to: $to, limit: $limit, afterCursor: $after) {
      items {
        id
        type
        entity
        entityId
        requestId
        actor
        createdAt
        value
      }
      cursor
    }
  }
`;

export interface EventView {
  id: string;
  type: string;
  entity: string;
  entityId: string;
  requestId: string;
  actor: string;
  createdAt: string;
  value: string;
}

/** Every event of one entity, oldest first, read page by page (throws on an error). */
export const allEventsOf = async (t: GatewayClient, token: string, entity: string, id: string) => {
  const events: EventView[] = [];
  let after: string | null = null;
  do {
    const response: GraphQLResponse<{ eventsByEntity: { items: EventView[]; cursor: string | null } }> = await t.gql(
      EVENTS_BY_ENTITY,
      { entity, id, limit: 100, after },
      { token },
    );
    if (!response.data?.eventsByEntity) throw new Error(`eventsByEntity failed: ${JSON.stringify(response.errors)}`);
    events.push(...response.data.eventsByEntity.items);
    after = response.data.eventsByEntity.cursor;
  } while (after !== null);
  return events;
};
