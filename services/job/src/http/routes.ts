import { requireActor, type Operation } from '@sitter/platform';
import {
  applyToJob,
  createJob,
  declineApplication,
  listJobApplications,
  listJobsNear,
  queryJobApplications,
  listNannyApplications,
  releaseReservation,
  reserveApplication,
  viewJob,
  viewJobQuery,
  viewJobs,
  type JobDomain,
} from '../domain';

/**
 * Reading jobs needs no identity (without one, only open jobs and their public part), nor does
 * declining (only the decliner may call it: Dapr access control); everything else acts for the
 * caller the gateway named.
 */
export const jobOperations = (domain: JobDomain): Operation[] => [
  {
    method: 'POST',
    path: '/jobs',
    status: 201,
    handle: (request) => createJob(domain, requireActor(request), request.body),
  },
  {
    method: 'GET',
    path: '/jobs',
    handle: ({ actor, query: { status, limit, after } }) => viewJobs(domain, actor, { status, limit, after }),
  },
  {
    method: 'GET',
    path: '/jobs-near',
    handle: ({ actor, query }) => listJobsNear(domain, actor, query),
  },
  {
    method: 'POST',
    path: '/jobs/queries',
    handle: ({ actor, body }) => viewJobQuery(domain, actor, (body ?? {}) as Record<string, unknown>),
  },
  {
    method: 'GET',
    path: '/jobs/:id',
    handle: ({ actor, params }) => viewJob(domain, actor, params.id),
  },
  {
    method: 'POST',
    path: '/jobs/:id/applications',
    status: 201,
    handle: (request) => applyToJob(domain, requireActor(request), request.params.id),
  },
  {
    method: 'GET',
    path: '/jobs/:id/applications',
    handle: (request) => listJobApplications(domain, requireActor(request), request.params.id),
  },
  {
    method: 'POST',
    path: '/jobs/:id/applications/queries',
    handle: (request) =>
      queryJobApplications(
        domain,
        requireActor(request),
        request.params.id,
        (request.body ?? {}) as Record<string, unknown>,
      ),
  },
  {
    method: 'GET',
    path: '/nannies/:username/applications',
    params: { username: 'username' },
    handle: (request) => listNannyApplications(domain, requireActor(request), request.params.username),
  },
  {
    method: 'POST',
    path: '/jobs/:id/reservations',
    handle: (request) => reserveApplication(domain, requireActor(request), request.params.id, request.body),
  },
  {
    method: 'DELETE',
    path: '/jobs/:id/reservations/:applicationId',
    handle: (request) =>
      releaseReservation(domain, requireActor(request), request.params.id, request.params.applicationId),
  },
  {
    method: 'POST',
    path: '/applications/:id/decline',
    handle: (request) => declineApplication(domain, request.params.id, request.body),
  },
];
