/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  // Registers jest.isolateModulesAsync as lambda-harness's module isolation (see the file).
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
};
