/** Native ESM tests: run with NODE_OPTIONS=--experimental-vm-modules (see package.json). */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/esm/**/*.test.mjs'],
  transform: {},
  setupFilesAfterEnv: ['lambda-harness/jest'],
};
