/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  transform: {},
  // One import registers every lambda-harness matcher and the snapshot serializer.
  setupFilesAfterEnv: ['lambda-harness/jest'],
};
