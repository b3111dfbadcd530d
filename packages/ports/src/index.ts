export * from './state-store';
export * from './pubsub';
export * from './invoker';
export * from './errors';
export * from './actor';
export * from './clock';
export * from './page-cursor';
