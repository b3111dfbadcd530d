export * from './declines';
export * from './decline-request';
export * from './decline-request.schema';
export * from './json-schema';
export * from './retry-policy';
