import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // One import registers every lambda-harness matcher and the snapshot serializer.
    setupFiles: ['lambda-harness/vitest'],
    include: ['test/**/*.test.ts'],
  },
});
