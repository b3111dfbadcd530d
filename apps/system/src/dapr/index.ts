export * from './apps';
export * from './bundles';
export * from './launcher';
export * from './supervisor';
