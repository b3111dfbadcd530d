export * from './constants';
export * from './signing-key';
export * from './thumbprint';
export * from './token';
export * from './server';
