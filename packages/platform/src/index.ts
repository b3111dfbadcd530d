export * from './request-context';
export * from './logger';
export * from './config';
export * from './http';
export * from './server';
