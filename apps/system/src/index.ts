export * from './system';
export * from './config';
