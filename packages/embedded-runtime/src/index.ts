export * from './state-store';
export * from './persistent-state-store';
export * from './append-log';
export * from './broker';
export * from './broker-journal';
export * from './data-dir-lock';
export * from './invoker';
export * from './runtime';
export * from './corrupt-data-error';
export * from './data-check';
// A prototype, not used by EmbeddedRuntime (see docs/performance.md, "Growth").
export * from './sqlite-state-store';
