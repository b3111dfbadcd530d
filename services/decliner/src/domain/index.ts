export * from './declines';
export * from './decline-request';
export * from './retry-policy';
