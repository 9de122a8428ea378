// Runs the README examples that test/readme/examples.test.ts writes to test/readme/.generated/.
import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.js';

export default defineConfig({
  // Same 'lambda-harness' -> src/ aliases as the main config.
  ...(base.resolve ? { resolve: base.resolve } : {}),
  test: {
    // The two README tests without a vitest import use test globals (Jest-style / `globals: true`).
    globals: true,
    include: ['test/readme/.generated/*.example.ts', 'docs/**/*.line-*.example.ts'],
    testTimeout: 20_000,
    pool: 'forks',
  },
});
