// Jest on ESM TypeScript: @swc/jest transpiles, Node's VM modules load ESM-only packages
// (adminjs, xstate, whatsapp-api-js). Local MongoDB + Redis start once per run in globalSetup.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'es6' } },
    ],
  },
  // Source imports carry NodeNext's `.js` suffix; map them back to the `.ts` files.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  // Generous: boot-heavy files (real processes, the staff panel) share two cores with another file.
  testTimeout: 60_000,
  // Two cores: one worker per core keeps the local MongoDB server responsive.
  maxWorkers: 2,
};
