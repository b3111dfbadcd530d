import type { TestSystem } from './harness';
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

export const BOOK = /* GraphQL */ `
  mutation ($jobId: ID!, $applicationId: ID!) {
    bookNanny(jobId: $jobId, applicationId: $applicationId) {
      id
      jobId
      applicationId
      customer
      nanny
      status
    }
  }
`;

export const jobInput = (overrides: Record<string, unknown> = {}) => ({
  jobType: 'ONE_OFF',
  startDate: '2027-03-01',
  endDate: '2027-03-02',
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
export const signUp = async (t: TestSystem, type: 'PARENT' | 'NANNY', extraRoles: string[] = []) => {
  const username = uniqueName(type.toLowerCase());
  const token = t.tokenFor(username, type, ...extraRoles);
  const response = await t.gql(
    CREATE_USER,
    { user: { username, email: `${username}@example.com`, type, firstName: 'Sam', lastName: 'Lee' } },
    { token },
  );
  if (response.errors) throw new Error(`sign-up failed: ${JSON.stringify(response.errors)}`);
  return { username, token };
};

export const postJob = async (t: TestSystem, parentToken: string, overrides: Record<string, unknown> = {}) => {
  const response = await t.gql<{ createJob: { id: string } }>(
    CREATE_JOB,
    { job: jobInput(overrides) },
    { token: parentToken },
  );
  if (!response.data?.createJob) throw new Error(`createJob failed: ${JSON.stringify(response.errors)}`);
  return response.data.createJob;
};

export const apply = async (t: TestSystem, nannyToken: string, jobId: string) => {
  const response = await t.gql<{ applyToJob: { id: string } }>(APPLY, { jobId }, { token: nannyToken });
  if (!response.data?.applyToJob) throw new Error(`applyToJob failed: ${JSON.stringify(response.errors)}`);
  return response.data.applyToJob;
};
