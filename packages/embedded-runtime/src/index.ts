export * from './state-store';
export * from './broker';
export * from './invoker';
export * from './runtime';
