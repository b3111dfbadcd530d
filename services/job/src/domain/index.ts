export * from './model';
export * from './accounts';
export * from './context';
export * from './jobs';
export * from './applications';
export * from './reservations';
export * from './declines';
export { validateDeclineRequest } from './validation';
export { Keys } from './state';
