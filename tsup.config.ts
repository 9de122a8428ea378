import { defineConfig } from 'tsup';

// Faker is bundled (it is a devDependency): faker 10 ships ESM only, which a default CommonJS Jest
// project cannot load, and pinning the copy we generate with keeps golden fixtures stable whatever
// faker version a user installs. See docs/decisions/0001-build-and-faker.md.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    // lambda-harness/engine: the init and invoke steps, for library authors (docs/invoke.md).
    'engine/index': 'src/engine.ts',
    'vitest/index': 'src/vitest/index.ts',
    'jest/index': 'src/jest/index.ts',
    'cli/index': 'src/cli/index.ts',
    // The isolated-mode child process (one Lambda execution environment per process), spawned by
    // src/lifecycle/isolated; it must be its own file to be started with child_process.fork.
    'lifecycle/isolated/child': 'src/lifecycle/isolated/child.ts',
    // The worker environment's entry (one Lambda execution environment per worker thread).
    'lifecycle/worker/entry': 'src/lifecycle/worker/entry.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  splitting: true,
  noExternal: ['@faker-js/faker'],
  external: ['vitest', '@jest/globals'],
});
