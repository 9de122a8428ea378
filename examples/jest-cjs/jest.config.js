/** @type {import('jest').Config} */
module.exports = {
  transform: {
    // Node16 resolution is what resolves `lambda-harness/jest` types; ts-jest warns (151002) that
    // hybrid module kinds want isolatedModules, which would turn its type-checking off.
    '^.+\\.tsx?$': ['ts-jest', { diagnostics: { ignoreCodes: [151002] } }],
  },
  testEnvironment: 'node',
  // One import registers every lambda-harness matcher and the snapshot serializer.
  setupFilesAfterEnv: ['lambda-harness/jest'],
};
