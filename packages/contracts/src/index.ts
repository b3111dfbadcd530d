export * from './app-ids';
export * from './components';
export * from './topics';
export * from './messages';
export * from './message-schema';
export * from './json-schemas';
export * from './headers';
export * from './partitioning';
