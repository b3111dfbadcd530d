export * from './app';
export * from './config';
export * from './auth';
export { rootFields } from './graphql/root-fields';
export * from './protection';
export * from './live';
