import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// The fuzz lane (scripts/ci-lanes.d/10-fuzz.sh): test/fuzz/*.fuzz.ts only, never part of `npm test`.
// Not mergeConfig: it would append to the main config's include list.
export default defineConfig({
  ...(base.resolve ? { resolve: base.resolve } : {}),
  test: {
    include: ['test/fuzz/**/*.fuzz.ts'],
    testTimeout: 600_000,
    pool: 'forks',
  },
});
