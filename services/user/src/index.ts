export { createUserApp, type UserServiceDeps } from './app';
export type { User, UserStatus, UserType } from './domain';
