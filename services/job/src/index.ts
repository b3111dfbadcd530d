export { createJobApp, type JobServiceDeps } from './app';
