/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // Registers the lambda-harness matchers and makes createFunction() cold starts reload the
  // handler's modules through jest.isolateModulesAsync().
  setupFilesAfterEnv: ['lambda-harness/jest'],
};
