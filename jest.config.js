/** One jest run over every workspace; TypeScript is stripped by SWC (type checking is `npm run typecheck`). */
module.exports = {
  testEnvironment: 'node',
  roots: [
    '<rootDir>/apps',
    '<rootDir>/packages',
    '<rootDir>/services',
    '<rootDir>/charts',
    '<rootDir>/scripts',
    '<rootDir>/bench',
  ],
  testMatch: ['**/test/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 30000,
};
