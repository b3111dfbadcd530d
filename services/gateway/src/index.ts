export * from './app';
export * from './config';
export * from './auth';
export { InMemoryRateLimits } from './adapters/in-memory-rate-limits';
export { RedisRateLimits, type RedisRateLimitsOptions } from './adapters/redis-rate-limits';
export { rootFields } from './graphql/root-fields';
export * from './protection';
export * from './live';
