export * from './serve';
export * from './host';
