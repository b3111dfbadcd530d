export * from './protection-config';
export * from './operation-limits';
export * from './request-weight';
export * from './browser';
export * from './api-key-charging';
