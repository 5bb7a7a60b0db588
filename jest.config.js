/** @type {import('jest').Config} */
module.exports = {
  // jest's runtime compiling each module once per worker (a kept vm.Script, run in each test file's own context), with
  // V8's code cache on disk for the next run: not once per test file that loads it (see the file).
  runtime: '<rootDir>/__tests__/support/runtime.js',
  // jest's node environment with an ordinary global object: global names at plain-Node speed (see the file).
  testEnvironment: '<rootDir>/__tests__/support/node-environment.js',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  globalSetup: '<rootDir>/__tests__/support/global-setup.js',
  globalTeardown: '<rootDir>/__tests__/support/global-teardown.js',
  testTimeout: 60000,
  // Longest files first, also on a fresh clone (no timings yet): see the file.
  testSequencer: '<rootDir>/__tests__/support/sequencer.js',
  // Two workers on the 2-core CI machine (jest's default, cores - 1, would run the files one by one).
  maxWorkers: 2,
};
