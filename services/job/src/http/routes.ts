import { JobRoutes } from '@sitter/contracts';
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
    ...JobRoutes.createJob,
    status: 201,
    handle: (request) => createJob(domain, requireActor(request), request.body),
  },
  {
    ...JobRoutes.listJobs,
    handle: ({ actor, query: { status, limit, after } }) => viewJobs(domain, actor, { status, limit, after }),
  },
  {
    ...JobRoutes.listJobsNear,
    handle: ({ actor, query }) => listJobsNear(domain, actor, query),
  },
  {
    ...JobRoutes.queryJobs,
    handle: ({ actor, body }) => viewJobQuery(domain, actor, (body ?? {}) as Record<string, unknown>),
  },
  {
    ...JobRoutes.getJob,
    handle: ({ actor, params }) => viewJob(domain, actor, params.id),
  },
  {
    ...JobRoutes.applyToJob,
    status: 201,
    handle: (request) => applyToJob(domain, requireActor(request), request.params.id),
  },
  {
    ...JobRoutes.listJobApplications,
    handle: (request) => listJobApplications(domain, requireActor(request), request.params.id),
  },
  {
    ...JobRoutes.queryJobApplications,
    handle: (request) =>
      queryJobApplications(
        domain,
        requireActor(request),
        request.params.id,
        (request.body ?? {}) as Record<string, unknown>,
      ),
  },
  {
    ...JobRoutes.listNannyApplications,
    params: { username: 'username' },
    handle: (request) => listNannyApplications(domain, requireActor(request), request.params.username),
  },
  {
    ...JobRoutes.reserveApplication,
    handle: (request) => reserveApplication(domain, requireActor(request), request.params.id, request.body),
  },
  {
    ...JobRoutes.releaseReservation,
    handle: (request) =>
      releaseReservation(domain, requireActor(request), request.params.id, request.params.applicationId),
  },
  {
    ...JobRoutes.declineApplication,
    handle: (request) => declineApplication(domain, request.params.id, request.body),
  },
];
