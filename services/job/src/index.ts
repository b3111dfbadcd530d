export { createJobApp, type JobServiceDeps } from './app';
export { jobOperations } from './http/routes';
