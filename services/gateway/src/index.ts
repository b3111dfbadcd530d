export * from './app';
export * from './config';
export * from './auth';
export * from './protection';
