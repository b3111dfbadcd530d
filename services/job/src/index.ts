export { createJobApp, createJobDomain, type JobServiceDeps } from './app';
/** For writing jobs outside a request exactly as the service does (bench/growth.ts seeds with it). */
export { createJob, getJob, listJobs, Keys, type Job, type JobDomain } from './domain';
export { jobOperations } from './http/routes';
