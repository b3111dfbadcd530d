export { createUserApp, type UserServiceDeps } from './app';
export { userOperations } from './http/routes';
export type { User, UserStatus, UserType } from './domain';
