import { loadOrCreateSigningKey, signDevToken } from '@sitter/dev-issuer';
import type { Target } from './targets';

/** The requests every benchmark sends: a parent who creates a job, and reads it back. */
export const JOB = {
  jobType: 'ONE_OFF',
  startDate: '2030-03-01',
  endDate: '2030-03-01',
  startTime: '18:00',
  endTime: '23:00',
  address: '1 Bench Road',
  city: 'Leeds',
  latitude: 53.8,
  longitude: -1.55,
  cost: '120.00',
};
export const USERNAME = 'benchparent';
export const CREATE_USER = `mutation ($user: CreateUserInput!) { createUser(user: $user) { username } }`;
export const CREATE_JOB = `mutation ($job: CreateJobInput!) { createJob(job: $job) { id } }`;
export const GET_JOB = `query ($id: ID!) { getJob(id: $id) { id owner jobType startDate endDate cost status latitude longitude } }`;

export const graphql = async (url: string, query: string, variables: unknown, headers: Record<string, string>) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const json = (await response.json()) as { data?: Record<string, { id: string }>; errors?: unknown };
  if (json.errors || !json.data) throw new Error(`request failed: ${JSON.stringify(json.errors)}`);
  return json.data;
};

/**
 * A parent with one job on the target: returns the job id and the headers that read it (a dev token when the target
 * checks tokens, none for the bare server).
 */
export const parentWithJob = async (target: Target): Promise<{ jobId: string; headers: Record<string, string> }> => {
  if (!target.dataDir) {
    const jobId = (await graphql(target.url, CREATE_JOB, { job: JOB }, {})).createJob.id;
    return { jobId, headers: {} };
  }
  const key = await loadOrCreateSigningKey(target.dataDir);
  const token = signDevToken(key, { sub: USERNAME, roles: ['PARENT'], expiresIn: '2h' });
  const headers = { authorization: `Bearer ${token}` };
  const user = { username: USERNAME, email: 'bench@example.com', type: 'PARENT', firstName: 'Bench', lastName: 'Mark' };
  await graphql(target.url, CREATE_USER, { user }, headers);
  const jobId = (await graphql(target.url, CREATE_JOB, { job: JOB }, headers)).createJob.id;
  return { jobId, headers };
};
