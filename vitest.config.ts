import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// README examples import the package by name; inside this repo that name means the sources.
const src = (file: string): string => fileURLToPath(new URL(`./src/${file}`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^lambda-harness$/, replacement: src('index.ts') },
      { find: /^lambda-harness\/engine$/, replacement: src('engine.ts') },
      { find: /^lambda-harness\/vitest$/, replacement: src('vitest/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/package/**', '**/node_modules/**'],
    typecheck: { enabled: true, include: ['test/types/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    testTimeout: 20_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: one worker on a 2-core machine, so the
    // whole suite ran file after file. Many files spend much of their time waiting (child
    // processes, real-clock waits), so at least two workers keep both cores busy.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
